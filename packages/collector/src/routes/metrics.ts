import { Hono } from 'hono'
import type { Metrics } from '../metrics.js'

/** `GET /metrics`: the collector's counters, gauges and histograms in the Prometheus text format. */
export function metricsRoute(metrics: Metrics): Hono {
  return new Hono().get('/metrics', (c) => c.body(metrics.render(), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }))
}
