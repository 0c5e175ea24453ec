import type { Context } from 'hono'
import { Hono } from 'hono'
import type { SpoorConfig } from '../config.js'
import type { Metrics } from '../metrics.js'
import type { Sites } from '../sites.js'
import type { Intake } from '../steps/accept-events.js'
import type { InFlight } from '../steps/in-flight.js'
import type { Refusals } from '../steps/refusals.js'
import { clickRoute } from './click-route.js'
import { createRangeLookup, readEmailConfig } from './email-config.js'
import { createMessageMemory } from './message-memory.js'
import { openRoute } from './open-route.js'

/** What the email routes take from the app: the config, and the intake and metrics every route shares. */
export interface EmailRoutesOptions {
  config: SpoorConfig
  sites: Sites
  intake: Intake
  metrics: Metrics
  clientIp: (c: Context) => string | undefined
  /** The in-flight budget each pending open holds a share of. */
  inFlight: InFlight
  /** Where opens and clicks with an unknown write key are logged (default: nowhere). */
  refusals?: Refusals
}

/**
 * The email routes: the open pixel (`/email/o.gif`) and signed click links (`/email/c`), set up from the config's
 * `email` section (read here; a bad section throws a `ConfigError` at start-up).
 *
 * @example
 * app.route('/', emailRoutes({ config, sites, intake, metrics, clientIp, inFlight }))
 */
export function emailRoutes(options: EmailRoutesOptions): Hono {
  const email = readEmailConfig(options.config)
  const route = {
    ...options,
    keys: email.signingKeys,
    ranges: createRangeLookup(email.machineRanges),
    memory: createMessageMemory(),
  }
  options.metrics.gauge('email_messages_remembered', 'Email messages whose first sighting and last click are remembered now.', () => route.memory.size)
  options.metrics.gauge('email_messages_remembered_limit', 'The most email messages remembered at once (the oldest are forgotten first).', () => route.memory.capacity)
  const app = new Hono()
  app.route('/', openRoute(route))
  app.route('/', clickRoute(route))
  return app
}
