import type { Envelope } from '@spoor/protocol'
import type { PluginHost } from './tracker.js'

/**
 * When a plugin sees each event: `before` first (to drop or correct it), `enrichment` next (to add to it), `after`
 * last, once the event is final (to observe it: what an `after` plugin returns is ignored).
 */
export type PluginStage = 'before' | 'enrichment' | 'after'

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
  /** When it sees each event (default `enrichment`); plugins of one stage run in the order they were added. */
  stage?: PluginStage
  /** Called once when the plugin is added; may return a teardown. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a setup returns nothing (a void function) or a teardown; a type, no bytes
  setup?(tracker: PluginHost): void | (() => void)
  /** Sees every event before it is queued; returns it (changed or not), or null to drop it. */
  enrich?(event: Envelope): Envelope | null
}
