import type { Logger } from '@spoor/log'
import { connectStream } from '@spoor/stream'

/**
 * Connects to the stream's servers as `spoor serve --stream`, `sink` and `carts --follow` do, waiting for them
 * however long it takes, but not in silence: a mistyped `--stream`, or servers not started, would otherwise leave the
 * process quiet after "connecting to the stream", neither listening nor saying why. Says so after `firstMs`, then
 * every `everyMs`.
 */
export async function connectTelling(list: string[], name: string, log: Logger, firstMs = 5000, everyMs = 60_000) {
  let timer: NodeJS.Timeout
  const tell = (afterMs: number) => {
    timer = setTimeout(() => {
      log.warn(`no stream server answers at ${list.join(',')} yet: still trying (check --stream, and that they run)`)
      tell(everyMs)
    }, afterMs)
  }
  tell(firstMs)
  try {
    return await connectStream(list, name)
  } finally {
    clearTimeout(timer!)
  }
}
