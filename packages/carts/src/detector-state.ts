import { type CartLimits, createCartBudget } from './cart-budget.js'
import type { Abandonment, Cart } from './cart-records.js'
import { createDeadlineQueue, type DeadlineQueue } from './deadline-queue.js'
import type { DerivedFields } from './derived-lines.js'
import { createVisitorCarts, type VisitorCarts } from './visitor-carts.js'

/**
 * What a cart detector holds, in one object: the detector decides over it, and a checkpoint saves it and fills it
 * again (`detector-checkpoint.ts`) without the detector's rules in the same file.
 */
export interface DetectorState {
  /** Carts by key (`writeKey\ncartKey`), open or closed; a closed one is kept a day longer for its times. */
  readonly carts: Map<string, Cart>
  /** Abandoned carts by key, awaiting an order within the recovery period. */
  readonly abandonments: Map<string, Abandonment>
  /** Decisions made and not yet read back as written, by messageId. */
  readonly pending: Map<string, DerivedFields>
  /** Derived ids already written, with the time after which they can no longer come back. */
  readonly written: Map<string, number>
  /** Open carts by the time their window closes (an entry per opening; a cart active since is pushed back). */
  readonly deadlines: DeadlineQueue
  /** The room each site's carts may take. */
  readonly budget: ReturnType<typeof createCartBudget>
  /** Which carts belong to which visitor. */
  readonly visitorCarts: VisitorCarts
  /** When decided-and-forgotten state was last swept (ms). */
  collectedAt: number
}

/** An empty state, within `limits`. */
export function createDetectorState(limits?: CartLimits): DetectorState {
  const carts = new Map<string, Cart>()
  return {
    carts,
    abandonments: new Map(),
    pending: new Map(),
    written: new Map(),
    deadlines: createDeadlineQueue(),
    budget: createCartBudget(limits),
    visitorCarts: createVisitorCarts(carts),
    collectedAt: Number.NEGATIVE_INFINITY,
  }
}
