const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Runs `step` until it succeeds, for `withinMs` at most (default 60 s), then throws its last error: servers that
 * have just started, or restarted together, take seconds to elect the leaders that answer JetStream's API and a
 * consumer's pulls, which is when a fleet's processes start. `onRetry` hears each failure that is tried again.
 */
export async function untilAnswered<T>(
  step: () => Promise<T>,
  withinMs = 60_000,
  onRetry?: (error: unknown) => void,
): Promise<T> {
  const deadline = Date.now() + withinMs
  for (;;) {
    try {
      return await step()
    } catch (error) {
      if (Date.now() > deadline) throw error
      onRetry?.(error)
      await sleep(500)
    }
  }
}
