#!/usr/bin/env node
import { ConfigError } from './config.js'
import { UsageError, type Command } from './commands/command.js'
import { DataDirBusyError } from './sink/data-dir-lock.js'
import { serve } from './commands/serve.js'
import { carts } from './commands/carts.js'
import { report } from './commands/report.js'
import { erase } from './commands/erase.js'
import { email } from './commands/email.js'

const commands: Record<string, Command> = { serve, email, carts, report, erase }

const help = `spoor — customer-data collector

Usage: spoor <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`)
  .join('\n')}

Run "spoor <command> --help" for a command's options.`

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help)
    return name ? 0 : 2
  }
  const command = commands[name]
  if (!command) {
    console.error(`spoor: unknown command "${name}"\n\n${help}`)
    return 2
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log(command.usage)
    return 0
  }
  try {
    return await command.run(args)
  } catch (error) {
    // Mistakes in the command line or config get their message, not a stack trace.
    if (error instanceof UsageError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`spoor ${name}: ${(error as Error).message}\n\n${command.usage}`)
      return 2
    }
    if (error instanceof DataDirBusyError) {
      console.error(`spoor ${name}: ${error.message}`)
      return 1
    }
    throw error
  }
}

process.exitCode = await main(process.argv.slice(2))
