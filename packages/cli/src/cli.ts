#!/usr/bin/env node
import { DataDirBusyError } from '@spoor/log'
import { ConfigError, version } from '@spoor/protocol'
import { type Command, UsageError } from './commands/command.js'
import { StartUpError } from './commands/start-up-error.js'

/**
 * Each command's line for `spoor --help`, and its module, loaded when it runs: `spoor report` does not load the
 * collector's server or the NATS client (a tenth of a second or more of every run).
 */
const commands: Record<string, { summary: string; load(): Promise<Command> }> = {
  serve: {
    summary: 'run the collector (Segment HTTP API, pixel, snippet) writing NDJSON',
    load: async () => (await import('./commands/serve.js')).serve,
  },
  email: {
    summary: 'instrument HTML email (open pixel, signed links) and report opens, clicks, orders',
    load: async () => (await import('./commands/email.js')).email,
  },
  carts: {
    summary: 'print the abandoned and recovered carts of a data folder as NDJSON',
    load: async () => (await import('./commands/carts.js')).carts,
  },
  report: {
    summary:
      'write the HTML report (traffic, shop, carts, email, engagement, vitals, NPS …) of a data folder, or mail its summary or a traffic alert',
    load: async () => (await import('./commands/report.js')).report,
  },
  compact: {
    summary: 'compact the published files into daily Parquet files, so reports over months answer fast',
    load: async () => (await import('./commands/compact.js')).compact,
  },
  erase: {
    summary: "erase one person's events (GDPR erasure request), or those past an age (retention)",
    load: async () => (await import('./commands/erase.js')).erase,
  },
  sink: {
    summary: 'write the events of a stream (spoor serve --stream) to NDJSON files',
    load: async () => (await import('./commands/sink.js')).sink,
  },
  stream: {
    summary: 'create or update the NATS JetStream stream of a fleet (spoor stream init)',
    load: async () => (await import('./commands/stream.js')).stream,
  },
}

/** The collector's "did you mean" helpers, loaded only for a mistake. */
const suggestions = () => import('@spoor/collector')

const help = `spoor — customer-data collector

Usage: spoor <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`)
  .join('\n')}

Run "spoor <command> --help" for a command's options, "spoor --version" for the version.
Exit codes: 0 done, 1 failed (e.g. port in use), 2 a mistake in the command line or the config.`

/** What a mistake of the person running the command says, and its exit code; undefined for anything else. */
async function mistake(error: unknown, name: string, command: Command): Promise<[string, number] | undefined> {
  const seeHelp = `; see "spoor ${name} --help"`
  if (error instanceof UsageError) return [error.message + seeHelp, 2]
  if (error instanceof ConfigError) return [error.message, 2]
  if (error instanceof StartUpError || error instanceof DataDirBusyError) return [error.message, 1]
  const { code, message, syscall } = error as NodeJS.ErrnoException
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    // Node's message goes on about positionals; the option and the closest one this command has say more.
    const option = /'([^']+)'/.exec(message)?.[1] ?? ''
    const options = [...new Set(command.usage.match(/--[a-z][a-z-]*/g))]
    const { closest, didYouMean } = await suggestions()
    return [`unknown option ${option}${didYouMean(closest(option, options), '')}${seeHelp}`, 2]
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /'(--[a-z-]+)/.exec(message)?.[1]
    return [(option && message.includes('argument missing') ? `${option} needs a value` : message) + seeHelp, 2]
  }
  // Not every error's code is Node's string: the stream's client gives JetStream's numbers (10059).
  if (typeof code !== 'string') return undefined
  if (code.startsWith('ERR_PARSE_ARGS')) return [message + seeHelp, 2]
  // A file that cannot be read or written (--out in a missing folder, a full disk): Node's message names it.
  if (syscall) return [message, 1]
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
    const asked = commands[args[0] ?? '']
    console.log(asked ? (await asked.load()).usage : help)
    return 0
  }
  if (!name) {
    console.error(help)
    return 2
  }
  const listed = commands[name]
  if (!listed) {
    const { closest, didYouMean } = await suggestions()
    console.error(
      `spoor: unknown command "${name}"${didYouMean(closest(name, Object.keys(commands)))}; see "spoor --help"`,
    )
    return 2
  }
  const command = await listed.load()
  if (args.includes('--help') || args.includes('-h')) {
    console.log(command.usage)
    return 0
  }
  try {
    return await command.run(args)
  } catch (error) {
    // Mistakes and start-up failures get one line saying what to do, not a stack trace; a bug keeps its stack.
    const known = await mistake(error, name, command)
    if (!known) throw error
    console.error(`spoor ${name}: ${known[0]}`)
    return known[1]
  }
}

process.exitCode = await main(process.argv.slice(2))
