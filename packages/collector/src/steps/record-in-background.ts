import type { InFlight } from './in-flight.js'

/**
 * Starts recording a pixel's event without waiting for it. A pixel's answer promises nothing: it is the image even
 * when recording fails (image proxies cache error answers), and no image loader retries on it, so waiting for the
 * disk would slow the answer and keep nothing more. The write is handed to the sink before the answer leaves (a
 * shutdown drains it like any other), and it holds `bytes` of the in-flight budget until it is done; past the
 * budget, or when the write fails, `onFailure` counts it.
 */
export function recordInBackground(
  inFlight: InFlight,
  bytes: number,
  record: () => Promise<unknown>,
  onFailure: () => void,
): void {
  const lease = inFlight.lease()
  if (!lease.take(bytes)) {
    onFailure()
    return
  }
  let recording: Promise<unknown>
  try {
    recording = record()
  } catch {
    lease.release()
    onFailure()
    return
  }
  // One promise per pending write, not a chain: it is held until the group commit (see `keepPrepared`).
  recording.then(
    () => lease.release(),
    () => {
      lease.release()
      onFailure()
    },
  )
}
