import type { Abandonment, Cart } from './cart-records.js'
import type { DerivedFields } from './derived-lines.js'
import type { DetectorState } from './detector-state.js'

/** The version of {@link DetectorCheckpoint}'s shape; a checkpoint of another is not resumed from. */
export const checkpointVersion = 1

/**
 * Everything a detector holds, as JSON: a run resumed from it decides what the run it was taken from would have
 * decided on the same later lines, without replaying the day or more of lines that built it. Taken before the run's
 * last tick, so the carts due at its end are still open in it, to be decided by the first later line (or the clock).
 * It holds personal data (ids, emails, cart contents), and is erased with the lines it was built from.
 */
export interface DetectorCheckpoint {
  version: typeof checkpointVersion
  windowMs: number
  recoverWithinMs: number
  /** When the store of decided-and-forgotten state was last swept (ms). */
  collectedAt: number | null
  /** JSON has no -Infinity: a cart's `snapshotAt` and `orderedAt` before any snapshot or order are null here. */
  carts: [
    key: string,
    cart: Omit<Cart, 'snapshotAt' | 'orderedAt'> & { snapshotAt: number | null; orderedAt: number | null },
  ][]
  abandonments: [key: string, abandonment: Abandonment][]
  pending: DerivedFields[]
  written: [messageId: string, until: number][]
  deadlines: [at: number, key: string][]
  visitors: [visitor: string, keys: string | string[]][]
}

const finiteOrNull = (n: number) => (Number.isFinite(n) ? n : null)

/** A cart as a checkpoint keeps it. */
const savedCart = (cart: Cart): DetectorCheckpoint['carts'][number][1] => ({
  ...cart,
  snapshotAt: finiteOrNull(cart.snapshotAt),
  orderedAt: finiteOrNull(cart.orderedAt),
})

/** A cart as a checkpoint kept it, back in the detector's terms. */
const restoredCart = (saved: DetectorCheckpoint['carts'][number][1]): Cart => ({
  ...saved,
  snapshotAt: saved.snapshotAt ?? Number.NEGATIVE_INFINITY,
  orderedAt: saved.orderedAt ?? Number.NEGATIVE_INFINITY,
})

/** Everything `state` holds, as JSON, for a detector with these durations. */
export const saveState = (state: DetectorState, windowMs: number, recoverWithinMs: number): DetectorCheckpoint => ({
  version: checkpointVersion,
  windowMs,
  recoverWithinMs,
  collectedAt: finiteOrNull(state.collectedAt),
  carts: [...state.carts].map(([key, cart]) => [key, savedCart(cart)]),
  abandonments: [...state.abandonments],
  pending: [...state.pending.values()],
  written: [...state.written],
  deadlines: state.deadlines.entries(),
  visitors: state.visitorCarts.entries(),
})

/**
 * Fills an empty `state` from a checkpoint taken with the same version and durations (else throws). Carts past the
 * room are not held, as a replay would have turned them away.
 */
export function restoreState(
  state: DetectorState,
  saved: DetectorCheckpoint,
  windowMs: number,
  recoverWithinMs: number,
): void {
  if (saved.version !== checkpointVersion || saved.windowMs !== windowMs || saved.recoverWithinMs !== recoverWithinMs)
    throw new Error('a cart detector resumes only from a checkpoint of its own version and durations')
  const { carts, budget } = state
  for (const [key, kept] of saved.carts) {
    const cart = restoredCart(kept)
    if (!budget.admit(cart.writeKey, cart.bytes)) continue
    budget.resize(cart.writeKey, 0, cart.bytes)
    carts.set(key, cart)
  }
  for (const [key, abandonment] of saved.abandonments) state.abandonments.set(key, abandonment)
  for (const fields of saved.pending) state.pending.set(fields.messageId, fields)
  for (const [id, until] of saved.written) state.written.set(id, until)
  for (const [at, key] of saved.deadlines) if (carts.has(key)) state.deadlines.push(at, key)
  state.visitorCarts.restore(saved.visitors)
  state.visitorCarts.prune()
  state.collectedAt = saved.collectedAt ?? Number.NEGATIVE_INFINITY
}

/** Whether a key of the detector's (`writeKey\n…`, a cart's or a visitor's) belongs to the site. */
const ofSite = (key: string, writeKey: string) => key.startsWith(`${writeKey}\n`)

/** The part of a checkpoint about one site, for a run over that site's lines alone. */
export const siteCheckpoint = (saved: DetectorCheckpoint, writeKey: string): DetectorCheckpoint => ({
  ...saved,
  carts: saved.carts.filter(([, cart]) => cart.writeKey === writeKey),
  abandonments: saved.abandonments.filter(([key]) => ofSite(key, writeKey)),
  pending: saved.pending.filter((fields) => fields.writeKey === writeKey),
  deadlines: saved.deadlines.filter(([, key]) => ofSite(key, writeKey)),
  visitors: saved.visitors.filter(([visitor]) => ofSite(visitor, writeKey)),
})

/**
 * The ids (anonymous or user) of everyone a checkpoint holds a cart, an abandonment or a decision of: a run resumed
 * from it needs their later lines even when those hold no cart event, as activity that keeps a cart open, or as an
 * order that recovers one.
 */
export function checkpointVisitors(saved: DetectorCheckpoint): { anonymousId: string | null; userId: string | null }[] {
  const ids: { anonymousId: string | null; userId: string | null }[] = []
  for (const [visitor] of saved.visitors) {
    const id = visitor.slice(visitor.indexOf('\n') + 1)
    if (id.startsWith('anon:')) ids.push({ anonymousId: id.slice(5), userId: null })
    else if (id.startsWith('user:')) ids.push({ anonymousId: null, userId: id.slice(5) })
  }
  for (const [, held] of [...saved.carts, ...saved.abandonments])
    ids.push({ anonymousId: held.anonymousId, userId: held.userId })
  for (const fields of saved.pending) ids.push({ anonymousId: fields.anonymousId, userId: fields.userId })
  return ids
}
