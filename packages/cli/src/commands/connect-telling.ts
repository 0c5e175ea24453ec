import type { Logger } from '@spoor/log'
import { connectStream, untilAnswered } from '@spoor/stream'
import { StartUpError } from './start-up-error.js'

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

/** What {@link streamWaiter} waits for, and how it gives up. */
export interface StreamWait {
  nc: Awaited<ReturnType<typeof connectStream>>
  log: Logger
  servers: string[]
  /** How long, from now, the steps together may wait. */
  waitMs: number
  /** What must answer, as the log and the error name it (`the stream spoor`). */
  what: string
  /** Gives back what the command holds (its data folder) before it stops. */
  release?: () => Promise<void>
}

/**
 * A runner of the steps a command takes at start against the stream (read its settings, open its consumer), each
 * tried again until it answers, all within one deadline: it says once that it waits, and past the deadline closes
 * the connection (which would keep the process running after its last word), releases what the command holds and
 * throws a {@link StartUpError} that says what to run.
 */
export function streamWaiter(wait: StreamWait) {
  const deadline = Date.now() + wait.waitMs
  let told = false
  return async <T>(step: () => Promise<T>): Promise<T> =>
    untilAnswered(step, Math.max(deadline - Date.now(), 0), (error) => {
      if (!told) wait.log.warn(`waiting for ${wait.what}`, { error: String(error) })
      told = true
    }).catch(async (error: unknown) => {
      await wait.nc.close().catch(() => {})
      await wait.release?.()
      throw new StartUpError(
        `${wait.what} did not answer at ${wait.servers.join(',')} within ${wait.waitMs / 1000} s (${String(error)}): set it up with "spoor stream init --stream …", or check --stream`,
      )
    })
}
