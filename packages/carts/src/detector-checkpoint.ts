import type { Abandonment, Cart } from './cart-records.js'
import type { DerivedFields } from './derived-lines.js'

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
export const savedCart = (cart: Cart): DetectorCheckpoint['carts'][number][1] => ({
  ...cart,
  snapshotAt: finiteOrNull(cart.snapshotAt),
  orderedAt: finiteOrNull(cart.orderedAt),
})

/** A cart as a checkpoint kept it, back in the detector's terms. */
export const restoredCart = (saved: DetectorCheckpoint['carts'][number][1]): Cart => ({
  ...saved,
  snapshotAt: saved.snapshotAt ?? Number.NEGATIVE_INFINITY,
  orderedAt: saved.orderedAt ?? Number.NEGATIVE_INFINITY,
})

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
