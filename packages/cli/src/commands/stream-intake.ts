import type { Logger } from '@spoor/log'
import {
  connectStream,
  createStreamSink,
  jetstream,
  jetstreamManager,
  parseServers,
  type StreamSink,
} from '@spoor/stream'
import { readOption } from './command.js'

/**
 * The sink of `spoor serve --stream`: connects to the stream's servers (waiting for them at start) and publishes
 * each accepted event there instead of writing a local file.
 */
export async function streamIntake(servers: string, publishTimeoutMs: number, log: Logger): Promise<StreamSink> {
  const list = readOption('--stream', () => parseServers(servers))
  log.info('connecting to the stream', { servers: list.join(',') })
  const nc = await connectStream(list, 'spoor serve')
  const jsm = await jetstreamManager(nc)
  const sink = createStreamSink({ nc, js: jetstream(nc), jsm, publishTimeoutMs })
  await sink.checked
  const health = sink.health()
  if (!health.ready) log.error(`events are refused until the stream takes them: ${health.reason}`)
  return sink
}
