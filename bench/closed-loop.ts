// A closed-loop load generator for the collector benchmark: `concurrency` workers each send a request, wait for its
// answer, and send the next, until the time is up. It counts the events each 2xx answer acknowledged, so that the
// benchmark can check afterwards that the server wrote as many.
import { Agent, request } from 'node:http'
import { nextBatchBody, nextPixelPath } from './unique-requests.js'

/** What one closed loop measured. */
export interface LoadResult {
  /** Requests answered 2xx. */
  requests: number
  /** Events those answers acknowledged: `accepted` and `duplicates` of each batch answer, one per pixel. */
  acknowledged: number
  errors: number
  latencies: number[]
  seconds: number
  /** CPU time the load generator spent, as a share of the wall time: near 1 means it, not the server, was the limit. */
  generatorCpu: number
}

/** Runs a closed loop of batch POSTs or pixel GETs against 127.0.0.1:`port` for `seconds`. */
export async function closedLoop(
  port: number,
  kind: 'batch' | 'pixel',
  concurrency: number,
  seconds: number,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
  const latencies: number[] = []
  let acknowledged = 0
  let errors = 0
  const cpu = process.cpuUsage()
  const started = performance.now()
  const deadline = started + seconds * 1000
  const once = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now()
      const body = kind === 'batch' ? nextBatchBody() : undefined
      const req = request(
        {
          host: '127.0.0.1',
          port,
          agent,
          method: kind === 'batch' ? 'POST' : 'GET',
          path: kind === 'batch' ? '/v1/batch' : nextPixelPath(),
          headers:
            kind === 'batch'
              ? { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body!) }
              : { 'user-agent': 'Mozilla/5.0 Chrome/131' },
        },
        (res) => {
          let text = ''
          if (kind === 'batch') res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk))
          else res.resume()
          res.on('end', () => {
            const ok = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300
            // A repeat skipped by the dedupe is acknowledged too (the sender drops it from its queue), so it counts.
            const answered =
              kind === 'pixel'
                ? 1
                : Number(/"accepted":(\d+)/.exec(text)?.[1] ?? NaN) + Number(/"duplicates":(\d+)/.exec(text)?.[1] ?? 0)
            if (ok && Number.isInteger(answered)) {
              latencies.push(performance.now() - t0)
              acknowledged += answered
            } else errors++
            resolve()
          })
        },
      )
      req.on('error', () => {
        errors++
        resolve()
      })
      req.end(body)
    })
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) await once()
    }),
  )
  agent.destroy()
  const elapsed = (performance.now() - started) / 1000
  const used = process.cpuUsage(cpu)
  return {
    requests: latencies.length,
    acknowledged,
    errors,
    latencies,
    seconds: elapsed,
    generatorCpu: (used.user + used.system) / 1e6 / elapsed,
  }
}
