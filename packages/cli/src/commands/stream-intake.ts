import type { Logger } from '@spoor/log'
import { createStreamSink, jetstream, jetstreamManager, parseServers, type StreamSink } from '@spoor/stream'
import { readOption } from './command.js'
import { connectTelling } from './connect-telling.js'

/**
 * The sink of `spoor serve --stream`: connects to the stream's servers (waiting for them at start) and publishes
 * each accepted event there instead of writing a local file.
 */
export async function streamIntake(servers: string, publishTimeoutMs: number, log: Logger): Promise<StreamSink> {
  const list = readOption('--stream', () => parseServers(servers))
  log.info('connecting to the stream', { servers: list.join(',') })
  const nc = await connectTelling(list, 'spoor serve', log)
  const jsm = await jetstreamManager(nc)
  const sink = createStreamSink({ nc, js: jetstream(nc), jsm, publishTimeoutMs })
  await sink.checked
  // The 503s a stream's trouble causes are the load balancer's to see; why, and when it ended, is the log's: once
  // per change, not per request.
  let told: string | undefined
  const tell = () => {
    const health = sink.health()
    const reason = health.ready ? undefined : health.reason
    if (reason === told) return
    if (reason) log.error(`events are refused until the stream takes them: ${reason}`)
    else log.info('the stream takes events again')
    told = reason
  }
  tell()
  const watch = setInterval(tell, 1000)
  watch.unref()
  return {
    ...sink,
    close: () => {
      clearInterval(watch)
      return sink.close()
    },
  }
}
