#!/usr/bin/env node
import { closest, didYouMean } from '@spoor/collector'
import { DataDirBusyError } from '@spoor/log'
import { ConfigError, version } from '@spoor/protocol'
import { carts } from './commands/carts.js'
import { type Command, UsageError } from './commands/command.js'
import { compact } from './commands/compact.js'
import { email } from './commands/email.js'
import { erase } from './commands/erase.js'
import { report } from './commands/report.js'
import { serve } from './commands/serve.js'
import { sink } from './commands/sink.js'
import { StartUpError } from './commands/start-up-error.js'
import { stream } from './commands/stream.js'

const commands: Record<string, Command> = { serve, email, carts, report, compact, erase, sink, stream }

const help = `spoor — customer-data collector

Usage: spoor <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`)
  .join('\n')}

Run "spoor <command> --help" for a command's options, "spoor --version" for the version.
Exit codes: 0 done, 1 failed (e.g. port in use), 2 a mistake in the command line or the config.`

/** What a mistake of the person running the command says, and its exit code; undefined for anything else. */
function mistake(error: unknown, name: string, command: Command): [string, number] | undefined {
  const seeHelp = `; see "spoor ${name} --help"`
  if (error instanceof UsageError) return [error.message + seeHelp, 2]
  if (error instanceof ConfigError) return [error.message, 2]
  if (error instanceof StartUpError || error instanceof DataDirBusyError) return [error.message, 1]
  const { code, message, syscall } = error as NodeJS.ErrnoException
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    // Node's message goes on about positionals; the option and the closest one this command has say more.
    const option = /'([^']+)'/.exec(message)?.[1] ?? ''
    const options = [...new Set(command.usage.match(/--[a-z][a-z-]*/g))]
    return [`unknown option ${option}${didYouMean(closest(option, options), '')}${seeHelp}`, 2]
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /'(--[a-z-]+)/.exec(message)?.[1]
    return [(option && message.includes('argument missing') ? `${option} needs a value` : message) + seeHelp, 2]
  }
  if (code?.startsWith('ERR_PARSE_ARGS')) return [message + seeHelp, 2]
  // A file that cannot be read or written (--out in a missing folder, a full disk): Node's message names it.
  if (code && syscall) return [message, 1]
  return undefined
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv
  if (name === '--version' || name === '-v' || name === 'version') {
    console.log(`spoor ${version}`)
    return 0
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    // "spoor help serve" is "spoor serve --help".
    console.log(commands[args[0] ?? '']?.usage ?? help)
    return 0
  }
  if (!name) {
    console.error(help)
    return 2
  }
  const command = commands[name]
  if (!command) {
    console.error(
      `spoor: unknown command "${name}"${didYouMean(closest(name, Object.keys(commands)))}; see "spoor --help"`,
    )
    return 2
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log(command.usage)
    return 0
  }
  try {
    return await command.run(args)
  } catch (error) {
    // Mistakes and start-up failures get one line saying what to do, not a stack trace; a bug keeps its stack.
    const known = mistake(error, name, command)
    if (!known) throw error
    console.error(`spoor ${name}: ${known[0]}`)
    return known[1]
  }
}

process.exitCode = await main(process.argv.slice(2))
