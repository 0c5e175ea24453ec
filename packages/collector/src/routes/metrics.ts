import { isIP } from 'node:net'
import type { Metrics } from '@spoor/log'
import { dashboardConfig } from '@spoor/protocol'
import { type Context, Hono } from 'hono'
import { ConfigError, type SpoorConfig } from '../config.js'
import { presentsToken } from '../steps/presented-token.js'

/** Where `/metrics` looks to decide who may read it. */
export interface MetricsRouteOptions {
  config: SpoorConfig
  /** The socket's peer (undefined in-process, under `app.request()`). */
  peer: (c: Context) => string | undefined
}

const loopback = (address: string) =>
  isIP(address) === 4 ? address.startsWith('127.') : address === '::1' || address.startsWith('::ffff:127.')

/** The token that opens `/metrics` from elsewhere: the config's `metrics.token`, else the dashboard's. */
export function metricsToken(config: SpoorConfig): string | undefined {
  const section = config.metrics
  if (section === undefined) return dashboardConfig(config)?.token
  const { token } = (section ?? {}) as { token?: unknown }
  if (typeof token !== 'string' || token.length < 24) {
    throw new ConfigError('metrics.token must be a string of 24 or more characters (try: openssl rand -hex 24)')
  }
  return token
}

/**
 * `GET /metrics`: the collector's counters, gauges and histograms in the Prometheus text format. They say how much
 * each site sends and what fails, which is not for everyone: a scraper on the same machine reads them directly
 * (a loopback peer, not through a proxy); from elsewhere it presents `metrics.token` (or the dashboard's token) as
 * `Authorization: Bearer …`.
 */
export function metricsRoute(metrics: Metrics, options: MetricsRouteOptions): Hono {
  const token = metricsToken(options.config)
  return new Hono().get('/metrics', (c) => {
    const peer = options.peer(c)
    const local =
      (peer === undefined || loopback(peer)) && !c.req.header('x-forwarded-for') && !c.req.header('forwarded')
    if (!local && !(token && presentsToken(c, token))) {
      const how = token
        ? 'present the metrics token as Authorization: Bearer'
        : 'add {"metrics": {"token": "…"}} to the config and present it as Authorization: Bearer'
      return c.text(`/metrics is read from this machine, or with a token: ${how}`, 401, {
        'www-authenticate': 'Bearer realm="spoor metrics"',
      })
    }
    return c.body(metrics.render(), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' })
  })
}
