import { parseArgs } from 'node:util'
import { createCartDetector } from '@spoor/carts'
import { createLogger } from '@spoor/log'
import {
  closeConnection,
  followCarts,
  jetstream,
  jetstreamManager,
  parseServers,
  parseWorker,
  streamName,
  workerPartitions,
} from '@spoor/stream'
import { parseDuration } from '../duration.js'
import { readOption, UsageError } from './command.js'
import { connectTelling, streamWaiter } from './connect-telling.js'
import { untilStopped } from './until-stopped.js'

const hour = 3_600_000

/** The options of `spoor carts --follow`, for the carts command's help. */
export const followUsage = `Usage: spoor carts --follow --stream SERVERS [--worker I/N] [--window TIME] [--recover-within TIME]

  --follow               run the live detector as a consumer of the stream (spoor serve --stream)
  --stream SERVERS       the stream's servers, e.g. nats://a:4222,nats://b:4222 (env SPOOR_STREAM)
  --worker I/N           this is worker I of N (default 1/1): worker I takes the partitions p with
                         p mod N = I - 1 of the stream's 16, so each visitor has one worker
  --wait TIME            how long to wait at start for the stream (default 60s)

Decisions are published back to the stream, with the same messageIds as the batch run, and reach the
files through the sinks. On start a worker rebuilds its state from the last --window + --recover-within
+ 1h of the stream (its max age must cover that), then decides.`

/** `spoor carts --follow`: the abandoned-cart detector as a stream consumer over its share of the partitions. */
export async function cartsFollow(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      follow: { type: 'boolean' },
      stream: { type: 'string' },
      worker: { type: 'string' },
      window: { type: 'string' },
      'recover-within': { type: 'string' },
      wait: { type: 'string' },
    },
  })
  const servers = values.stream ?? process.env.SPOOR_STREAM
  if (!servers) throw new UsageError('--follow needs --stream SERVERS, e.g. nats://127.0.0.1:4222')
  const list = readOption('--stream', () => parseServers(servers))
  const { worker, workers } = readOption('--worker', () => parseWorker(values.worker ?? '1/1'))
  const windowMs = readOption('--window', () => parseDuration(values.window ?? '60m'))
  const recoverWithinMs = readOption('--recover-within', () => parseDuration(values['recover-within'] ?? '24h'))
  if (windowMs === 0) throw new UsageError('--window must be longer than 0')
  const waitMs = readOption('--wait', () => parseDuration(values.wait ?? '60s'))
  const log = createLogger()
  const historyMs = windowMs + recoverWithinMs + hour

  log.info('connecting to the stream', { servers: list.join(',') })
  const nc = await connectTelling(list, `spoor carts ${worker}/${workers}`, log)
  const waitFor = streamWaiter({ nc, log, servers: list, waitMs, what: `the stream ${streamName}` })
  const info = await waitFor(async () => (await jetstreamManager(nc)).streams.info(streamName))
  const maxAgeMs = info.config.max_age / 1_000_000
  if (maxAgeMs > 0 && maxAgeMs < historyMs) {
    log.warn(
      'the stream keeps less history than a restart rebuilds from: carts open longer ago are forgotten at a restart',
      { maxAgeMs, historyMs },
    )
  }
  const partitions = workerPartitions(worker, workers)
  const follower = await waitFor(() =>
    followCarts({
      js: jetstream(nc),
      detector: createCartDetector({ windowMs, recoverWithinMs }),
      partitions,
      historyMs,
      tickMs: Math.min(15_000, Math.max(250, windowMs / 4)),
      onDecided: (lines) =>
        log.info('carts', {
          abandoned: lines.filter((l) => l.event === 'Cart Abandoned').length,
          recovered: lines.filter((l) => l.event === 'Cart Recovered').length,
        }),
      onError: (error) => log.error('could not publish cart decisions; they are tried again', { error: String(error) }),
      onSkipped: (error, subject) =>
        log.warn('skipped a message that is not an event line', { error: String(error), subject }),
    }),
  )
  log.info('spoor carts following', { worker: `${worker}/${workers}`, partitions: partitions.join(',') })
  void follower.caughtUp.then(() => log.info('cart worker caught up: deciding'))

  const signal = await untilStopped()
  log.info(`${signal}: stopping`)
  await follower.stop()
  await closeConnection(nc)
  return 0
}
