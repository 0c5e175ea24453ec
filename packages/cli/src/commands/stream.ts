import { parseArgs } from 'node:util'
import {
  connectStreamOnce,
  defaultStreamSettings,
  initStream,
  jetstreamManager,
  parseServers,
  StreamSettingsError,
  sinkConsumer,
  streamName,
  untilAnswered,
} from '@spoor/stream'
import { parseDuration, parseSize } from '../duration.js'
import { type Command, readOption, UsageError } from './command.js'
import { StartUpError } from './start-up-error.js'

const usage = `spoor stream init — create or update the stream and its consumer

Usage: spoor stream init --stream SERVERS [options]

  --stream SERVERS        the stream's servers, e.g. nats://a:4222,nats://b:4222 (env SPOOR_STREAM)
  --replicas N            copies of each message, on different servers: 1, 3 or 5 (default 3)
  --max-age TIME          how long messages are kept (default 72h); cart workers rebuild their state from
                          the last --window + --recover-within + 1h of it
  --max-bytes SIZE        space the stream may take on each server (default 10GB); when full, new events
                          are refused (collectors answer 503), old ones are never dropped before max-age
  --duplicate-window TIME a repeated messageId within this window is stored once, fleet-wide (default 10m)
  --ack-wait TIME         how long a sink may take to write a message before another gets it (default 30s)
  --wait TIME             how long to wait for the servers to answer, e.g. while they start (default 60s)

Safe to run again: an existing stream and consumer are updated to the settings given.`

/**
 * Connects to the first of `servers` that answers within `waitMs` (a fleet's servers may still be starting, as in
 * the README's recipe); says once that it waits, and gives up with what to do rather than wait in silence.
 */
async function reachServers(servers: string[], waitMs: number) {
  let told = false
  try {
    return await untilAnswered(
      () => connectStreamOnce(servers, 'spoor stream init', Math.min(Math.max(waitMs, 1000), 20_000)),
      waitMs,
      () => {
        if (!told) console.error(`spoor stream init: waiting for a stream server to answer at ${servers.join(',')}`)
        told = true
      },
    )
  } catch (error) {
    // nats.js leaves the socket of a server that took the connection but never spoke NATS open, which would keep
    // the command running after it has said it gave up: it exits once its line is out.
    setTimeout(() => process.exit(1), 1000).unref()
    throw new StartUpError(
      `no stream server answered at ${servers.join(',')} within ${waitMs / 1000} s (${String(error)}): start them, or check --stream`,
    )
  }
}

/** `spoor stream init`: sets up the JetStream stream a fleet shares. */
export const stream: Command = {
  usage,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        stream: { type: 'string' },
        replicas: { type: 'string' },
        'max-age': { type: 'string' },
        'max-bytes': { type: 'string' },
        'duplicate-window': { type: 'string' },
        'ack-wait': { type: 'string' },
        wait: { type: 'string' },
      },
    })
    if (positionals[0] !== 'init' || positionals.length !== 1) throw new UsageError('the subcommand is "init"')
    const servers = values.stream ?? process.env.SPOOR_STREAM
    if (!servers) throw new UsageError('give --stream SERVERS, e.g. nats://127.0.0.1:4222')
    const list = readOption('--stream', () => parseServers(servers))
    const replicas = Number(values.replicas ?? defaultStreamSettings.replicas)
    if (![1, 3, 5].includes(replicas)) throw new UsageError('--replicas is 1, 3 or 5')
    const settings = {
      replicas,
      maxAgeMs: values['max-age']
        ? readOption('--max-age', () => parseDuration(values['max-age']!))
        : defaultStreamSettings.maxAgeMs,
      maxBytes: values['max-bytes']
        ? readOption('--max-bytes', () => parseSize(values['max-bytes']!))
        : defaultStreamSettings.maxBytes,
      duplicateWindowMs: values['duplicate-window']
        ? readOption('--duplicate-window', () => parseDuration(values['duplicate-window']!))
        : defaultStreamSettings.duplicateWindowMs,
      ackWaitMs: values['ack-wait']
        ? readOption('--ack-wait', () => parseDuration(values['ack-wait']!))
        : defaultStreamSettings.ackWaitMs,
    }
    const waitMs = readOption('--wait', () => parseDuration(values.wait ?? '60s'))
    const deadline = Date.now() + waitMs
    const nc = await reachServers(list, waitMs)
    try {
      const report = await untilAnswered(
        async () => initStream(await jetstreamManager(nc), settings),
        Math.max(deadline - Date.now(), 0),
        // Settings refused by spoor itself are not tried again: nothing changes by waiting.
        (error) => {
          if (error instanceof StreamSettingsError) throw error
        },
      ).catch((error: unknown) => {
        if (error instanceof StreamSettingsError) throw new StartUpError(error.message)
        // The servers answered, and refused: their reason, in one line, and what to change where it is known.
        const reason = (error as Error)?.message ?? String(error)
        const hint = /no suitable peers|insufficient resources/i.test(reason)
          ? `: --replicas ${replicas} needs ${replicas} servers with JetStream (-js) in one cluster`
          : ''
        throw new StartUpError(`could not create or update the stream ${streamName} (${reason})${hint}`)
      })
      console.log(
        `stream ${streamName} ${report.stream}, consumer ${sinkConsumer} ${report.consumer}: ${JSON.stringify(settings)}`,
      )
      return 0
    } finally {
      await nc.close()
    }
  },
}
