import type { Envelope } from '@spoor/protocol'
import type { PluginHost } from './tracker.js'

/**
 * A capability of the tracker: a small object of optional hooks, its state kept in the closure that made it.
 *
 * @example
 * const version = (v: string): Plugin => ({
 *   name: 'app-version',
 *   enrich: (event) => ({ ...event, context: { ...event.context, app: { version: v } } }),
 * })
 */
export interface Plugin {
  name: string
  /** Called once when the plugin is added; may return a teardown. */
  setup?(tracker: PluginHost): void | (() => void)
  /** Sees every event before it is queued; returns it (changed or not), or null to drop it. */
  enrich?(event: Envelope): Envelope | null
}
