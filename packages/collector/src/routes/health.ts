import type { SinkHealth } from '@spoor/protocol'
import { Hono } from 'hono'

/** Where `/readyz` looks. */
export interface HealthOptions {
  /** The sink's health (default: always ready). */
  sink?: () => SinkHealth
  /** True once the collector is shutting down: a load balancer should send new requests elsewhere. */
  draining?: () => boolean
}

/**
 * `GET /healthz`: the process is alive and answering (liveness: restart it when this fails).
 * `GET /readyz`: the collector can keep events now (readiness: route traffic elsewhere while it fails): the sink
 * has recovered what a crash left, its disk is above the free-space watermark and writes succeed, and it is not
 * shutting down. 503 with the reason and `Retry-After` otherwise. Snowplow separates `/health` from
 * `/sink-health` the same way.
 */
export function health(options: HealthOptions = {}): Hono {
  const route = new Hono()
  route.get('/healthz', (c) => c.json({ status: 'ok' }))
  route.get('/readyz', (c) => {
    if (options.draining?.())
      return c.json({ status: 'not ready', reason: 'shutting down' }, 503, { 'Retry-After': '5' })
    const sink = options.sink?.()
    if (!sink) return c.json({ status: 'ready' })
    if (sink.starting)
      return c.json({ status: 'not ready', reason: 'recovering files left open by a crash' }, 503, {
        'Retry-After': '1',
      })
    if (!sink.ready)
      return c.json({ status: 'not ready', reason: sink.reason ?? 'sink not ready' }, 503, {
        'Retry-After': String(sink.retryAfter),
      })
    return c.json({ status: 'ready', freeBytes: Number.isFinite(sink.freeBytes) ? sink.freeBytes : null })
  })
  return route
}
