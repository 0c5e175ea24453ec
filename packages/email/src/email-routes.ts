import type { LogFields, Metrics } from '@spoor/log'
import type { RecordEvent, RecordInBackground, SpoorConfig } from '@spoor/protocol'
import type { Context } from 'hono'
import { Hono } from 'hono'
import { clickRoute } from './click-route.js'
import { createRangeLookup, readEmailConfig } from './email-config.js'
import { createMessageMemory } from './message-memory.js'
import { openRoute } from './open-route.js'

/** What the email routes take: the config, and from the collector its intake, metrics and client address. */
export interface EmailRoutesOptions {
  config: SpoorConfig
  /** The collector's intake for an event a route makes (`AppServices.record`). */
  record: RecordEvent
  /** Recording that does not hold up the answer, within the in-flight budget (`AppServices.recordInBackground`). */
  recordInBackground: RecordInBackground
  metrics: Metrics
  clientIp: (c: Context) => string | undefined
  /**
   * Logs what the operator must act on, once per key and rate limited (`AppServices.warn`): opens not recorded for
   * a config that misses a campaign or a key. Default: nothing is logged.
   */
  warn?: (key: string, msg: string, fields?: LogFields) => void
}

/**
 * The email routes: the open pixel (`/email/o.gif`) and signed click links (`/email/c`), set up from the config's
 * `email` section (read here; a bad section throws a `ConfigError` at start-up).
 *
 * @example
 * createApp({ config, sink, routes: [(services) => emailRoutes({ config, ...services })] })
 */
export function emailRoutes(options: EmailRoutesOptions): Hono {
  const email = readEmailConfig(options.config)
  const origins = new Map(options.config.sites.map((site) => [site.writeKey, site.origins]))
  const route = {
    record: options.record,
    recordInBackground: options.recordInBackground,
    metrics: options.metrics,
    clientIp: options.clientIp,
    warn: options.warn ?? (() => {}),
    keys: email.signingKeys,
    unsignedOpenCampaigns: new Set(email.unsignedOpenCampaigns),
    ranges: createRangeLookup(email.machineRanges),
    memory: createMessageMemory(),
    // A site that lists no origin (it sends from servers) or any origin: every destination may be its own.
    ownPage: (writeKey: string, destination: string, requestUrl: string) => {
      const listed = origins.get(writeKey) ?? []
      const origin = new URL(destination).origin
      return (
        listed.length === 0 || listed.includes('*') || listed.includes(origin) || origin === new URL(requestUrl).origin
      )
    },
  }
  options.metrics.gauge(
    'email_messages_remembered',
    'Email messages whose first sighting and last click are remembered now.',
    () => route.memory.size,
  )
  options.metrics.gauge(
    'email_messages_remembered_limit',
    'The most email messages remembered at once (the oldest are forgotten first).',
    () => route.memory.capacity,
  )
  const app = new Hono()
  app.route('/', openRoute(route))
  app.route('/', clickRoute(route))
  return app
}
