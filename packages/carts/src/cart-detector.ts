import { claimsCollectorLibrary, type EventLine, type JsonObject } from '@spoor/protocol'
import type { CartLimits } from './cart-budget.js'
import { type Cart, emptyCart, orderValue } from './cart-records.js'
import { campaignOf, cartSnapshot, emailOf, hasItems, orderEvent } from './cart-snapshot.js'
import { abandonedId, recoveredId } from './derived-id.js'
import { type DerivedFields, derivedEvents, derivedLine } from './derived-lines.js'
import { type DetectorCheckpoint, restoreState, saveState } from './detector-checkpoint.js'
import { createDetectorState } from './detector-state.js'
import { createTimeOf } from './time-of.js'

/** The rule's two durations. */
export interface CartDetectorOptions {
  /** Inactivity after which a cart with items and no order is abandoned, in ms (default 60 minutes). */
  windowMs?: number
  /** How long after an abandonment an order for the cart still counts as its recovery, in ms (default 24 h). */
  recoverWithinMs?: number
  /** What is held per site (default 100,000 carts, 64 MiB of contents). */
  limits?: CartLimits
  /** Resume from what an earlier run held (its {@link CartDetector.checkpoint}), taken with the same two durations. */
  resumeFrom?: DetectorCheckpoint
}

/**
 * The abandoned-cart detector over a stream of event lines. It only decides; its driver (the collector's sink
 * decorator, `spoor carts`, the report) feeds it lines and writes what it decides.
 */
export interface CartDetector {
  /**
   * Applies one line: cart contents, visitor activity, identity, orders. A derived line (`Cart Abandoned`,
   * `Cart Recovered` naming the collector as its library) marks that decision as written, so that it is never handed
   * out again; a line of those names from any other library is ignored.
   */
  observe(line: EventLine): void
  /**
   * Closes every cart whose window has passed by `now` and returns the derived events decided and not yet
   * observed as written, with `receivedAt` = `now`. Calling it again before observing them returns them again.
   */
  due(now: Date): EventLine[]
  /** Drops what the detector holds about anyone `matches` picks (an erasure); returns how many carts it dropped. */
  forget(matches: (ids: { anonymousId: string | null; userId: string | null; email: string | null }) => boolean): number
  /** Open carts and abandonments awaiting an order, for metrics; carts held, their bytes, and what was refused. */
  size(): { open: number; abandoned: number; pending: number; held: number; bytes: number; refused: number }
  /** Everything it holds, as JSON, for a later run to resume from (`resumeFrom`). */
  checkpoint(): DetectorCheckpoint
}

const minute = 60_000
const sweepEveryMs = 15 * minute
const iso = (ms: number) => new Date(ms).toISOString()

/**
 * Creates the detector. A cart (one per `cart_id` and site, whichever tabs or devices feed it) is abandoned when it
 * holds items and neither it nor its visitor did anything for `windowMs`, without an order; an order for it after
 * that is its recovery. Decisions follow event times, so the same lines give the same decisions, live or in batch.
 *
 * @example
 * const detector = createCartDetector({ windowMs: 60 * 60_000 })
 * for (const line of lines) detector.observe(line)
 * const derived = detector.due(new Date()) // Cart Abandoned / Cart Recovered lines to write
 */
export function createCartDetector(options: CartDetectorOptions = {}): CartDetector {
  const windowMs = options.windowMs ?? 60 * minute
  const recoverWithinMs = options.recoverWithinMs ?? 24 * 60 * minute
  const state = createDetectorState(options.limits)
  if (options.resumeFrom) restoreState(state, options.resumeFrom, windowMs, recoverWithinMs)
  const { carts, abandonments, pending, written, deadlines, budget } = state
  const { keyOf, link, cartsOf, prune } = state.visitorCarts
  const timeOf = createTimeOf()

  const decide = (fields: DerivedFields) => {
    if (!written.has(fields.messageId)) pending.set(fields.messageId, fields)
  }

  // A closed cart is held a day longer, for its times alone: an order or a late event must still find it. Its
  // contents are in the decision made of them, and a cart that comes back sends them again.
  const letContentsGo = (cart: Cart) => {
    budget.resize(cart.writeKey, cart.bytes, 0)
    cart.bytes = 0
    cart.products = []
    cart.value = 0
  }

  const abandon = (cart: Cart) => {
    cart.open = false
    const lastActivityAt = iso(cart.lastActivity)
    const messageId = abandonedId(cart.writeKey, cart.cartKey, lastActivityAt)
    const properties: JsonObject = {
      cart_id: cart.cartId,
      products: cart.products,
      value: cart.value,
      currency: cart.currency,
      last_activity_at: lastActivityAt,
    }
    if (cart.email) properties.email = cart.email
    if (cart.campaign) properties.campaign = cart.campaign
    decide({
      messageId,
      event: 'Cart Abandoned',
      writeKey: cart.writeKey,
      userId: cart.userId,
      anonymousId: cart.anonymousId,
      properties,
      campaign: cart.campaign,
      timestamp: iso(cart.lastActivity + windowMs),
    })
    abandonments.set(keyOf(cart.writeKey, cart.cartKey), {
      lastActivityAt,
      at: cart.lastActivity,
      value: cart.value,
      currency: cart.currency,
      anonymousId: cart.anonymousId,
      userId: cart.userId,
      cartId: cart.cartId,
    })
    letContentsGo(cart)
  }

  // Activity at `time` after a silence of a whole window: the cart was abandoned before it (as a tick would have
  // decided had it run in between), and this activity no longer counts for it.
  const expired = (cart: Cart, time: number) => {
    if (cart.open && time - cart.lastActivity >= windowMs) abandon(cart)
    return !cart.open
  }

  const touch = (line: EventLine, time: number) => {
    const carts = cartsOf(line)
    // An alias names the visitor's earlier id in previousId: its carts are the person's too.
    if (line.type === 'alias' && line.previousId) {
      for (const cart of cartsOf({ ...line, anonymousId: line.previousId, userId: null }))
        if (!carts.includes(cart)) carts.push(cart)
    }
    for (const cart of carts) {
      if (!expired(cart, time)) cart.lastActivity = Math.max(cart.lastActivity, time)
      if (line.userId) {
        cart.userId = line.userId
        // Once an event ties the device to the person (a sign-in's identify), the backend's events, which know only
        // the person's userId (an order, an identify carrying the email), find this cart too.
        link(line.writeKey, null, line.userId, keyOf(cart.writeKey, cart.cartKey))
      }
      const email = emailOf(line)
      if (email) cart.email = email
    }
  }

  const applySnapshot = (line: EventLine, time: number) => {
    const snapshot = cartSnapshot(line)
    if (!snapshot) return
    const cartKey = snapshot.cartId ?? `visitor:${line.anonymousId ?? line.userId}`
    const key = keyOf(line.writeKey, cartKey)
    const bytes = JSON.stringify(snapshot.products).length
    let cart = carts.get(key)
    if (!cart) {
      if (!budget.admit(line.writeKey, bytes)) return
      cart = emptyCart(line.writeKey, cartKey, snapshot.cartId, time)
      carts.set(key, cart)
    }
    link(line.writeKey, line.anonymousId, line.userId, key)
    if (time <= cart.orderedAt || time < cart.snapshotAt) return
    if (cart.open && time - cart.lastActivity >= windowMs) abandon(cart)
    // Past the site's room, the cart keeps the contents it had (its activity still counts).
    if (!budget.resize(line.writeKey, cart.bytes, bytes)) {
      cart.lastActivity = Math.max(cart.lastActivity, time)
      return
    }
    cart.bytes = bytes
    cart.products = snapshot.products
    cart.value = snapshot.value
    cart.currency = snapshot.currency ?? cart.currency
    cart.snapshotAt = time
    cart.lastActivity = Math.max(cart.lastActivity, time)
    cart.anonymousId = line.anonymousId ?? cart.anonymousId
    cart.userId = line.userId ?? cart.userId
    cart.email = emailOf(line) ?? cart.email
    cart.campaign = campaignOf(line) ?? cart.campaign
    const wasOpen = cart.open
    cart.open = hasItems(snapshot.products)
    if (cart.open && !wasOpen) deadlines.push(cart.lastActivity + windowMs, key)
  }

  const applyOrder = (line: EventLine, time: number) => {
    const cartId =
      typeof line.properties.cart_id === 'string' && line.properties.cart_id ? line.properties.cart_id : null
    const named = cartId ? keyOf(line.writeKey, cartId) : undefined
    // An order that names no cart ends every cart of its visitor: better a missed abandonment than a false one. So
    // does one naming a cart never seen (a shop backend's own cart id, not the one the browser sent).
    const keys =
      named && (carts.has(named) || abandonments.has(named))
        ? [named]
        : cartsOf(line).map((cart) => keyOf(cart.writeKey, cart.cartKey))
    for (const key of keys) {
      const cart = carts.get(key)
      if (cart) {
        expired(cart, time)
        cart.open = false
        letContentsGo(cart)
        cart.orderedAt = Math.max(cart.orderedAt, time)
      }
      const abandonment = abandonments.get(key)
      if (!abandonment || time < abandonment.at || time - abandonment.at > recoverWithinMs + windowMs) continue
      abandonments.delete(key)
      const orderId = String(line.properties.order_id ?? line.messageId)
      const cartKey = key.slice(line.writeKey.length + 1)
      decide({
        messageId: recoveredId(line.writeKey, cartKey, abandonment.lastActivityAt, orderId),
        event: 'Cart Recovered',
        writeKey: line.writeKey,
        userId: line.userId ?? abandonment.userId,
        anonymousId: line.anonymousId ?? abandonment.anonymousId,
        properties: {
          cart_id: abandonment.cartId,
          order_id: orderId,
          value: orderValue(line.properties) ?? abandonment.value,
          currency: typeof line.properties.currency === 'string' ? line.properties.currency : abandonment.currency,
          abandoned_at: abandonment.lastActivityAt,
        },
        campaign: campaignOf(line),
        timestamp: line.timestamp,
      })
    }
  }

  // A derived line read back (written by this detector, an earlier run, or another collector).
  const noteWritten = (line: EventLine) => {
    const time = Date.parse(line.timestamp)
    written.set(line.messageId, time + recoverWithinMs + 2 * windowMs)
    pending.delete(line.messageId)
    const { properties } = line
    const cartKey =
      typeof properties.cart_id === 'string' && properties.cart_id
        ? properties.cart_id
        : `visitor:${line.anonymousId ?? line.userId}`
    const key = keyOf(line.writeKey, cartKey)
    const lastActivityAt = String(
      line.event === 'Cart Abandoned' ? properties.last_activity_at : properties.abandoned_at,
    )
    if (line.event === 'Cart Recovered') {
      if (abandonments.get(key)?.lastActivityAt === lastActivityAt) abandonments.delete(key)
      return
    }
    const at = Date.parse(lastActivityAt)
    const cart = carts.get(key)
    // The live detector closed this cart at that point: replaying its files must close it there too.
    if (cart?.open && cart.lastActivity <= at) {
      cart.open = false
      letContentsGo(cart)
    }
    const known = abandonments.get(key)
    if (!known || known.at < at) {
      abandonments.set(key, {
        lastActivityAt,
        at,
        value: Number(properties.value ?? 0),
        currency: typeof properties.currency === 'string' ? properties.currency : null,
        anonymousId: line.anonymousId,
        userId: line.userId,
        cartId: typeof properties.cart_id === 'string' ? properties.cart_id : null,
      })
    }
  }

  const drop = (key: string, cart: Cart) => {
    carts.delete(key)
    budget.release(cart.writeKey, cart.bytes)
  }

  const collect = (now: number) => {
    const horizon = now - recoverWithinMs - 2 * windowMs
    for (const [key, cart] of carts) {
      if (!cart.open && cart.lastActivity < horizon) drop(key, cart)
    }
    for (const [key, abandonment] of abandonments) if (abandonment.at < horizon) abandonments.delete(key)
    for (const [id, until] of written) if (until < now) written.delete(id)
    prune()
  }

  return {
    observe(line) {
      if (line.event && derivedEvents.has(line.event)) {
        // Only the collector's own lines are its decisions (the intake refuses any other naming its library). An
        // event of that name from anyone else is neither a decision nor activity: taken as a decision, it would
        // silence the real one with a forged id, and fill memory with abandonments dated as far ahead as it likes.
        if (claimsCollectorLibrary(line.context)) noteWritten(line)
        return
      }
      // Flagged bots neither fill carts nor keep them alive.
      if (line.context?.bot === true) return
      const time = timeOf(line.timestamp)
      if (!Number.isFinite(time)) return
      touch(line, time)
      applySnapshot(line, time)
      if (line.type === 'track' && line.event === orderEvent) applyOrder(line, time)
    },
    due(now) {
      const time = now.getTime()
      for (let key = deadlines.popDue(time); key !== undefined; key = deadlines.popDue(time)) {
        const cart = carts.get(key)
        if (!cart?.open) continue
        // Active since it was queued: back in the queue at its new deadline.
        if (time - cart.lastActivity < windowMs) deadlines.push(cart.lastActivity + windowMs, key)
        else abandon(cart)
      }
      // Forgetting what can no longer matter is a sweep over everything, for state that lives a day or more: once
      // every quarter of an hour of the clock is enough (a batch run over a month sweeps 3,000 times, not 45,000).
      if (time - state.collectedAt >= sweepEveryMs) {
        collect(time)
        state.collectedAt = time
      }
      const receivedAt = now.toISOString()
      return [...pending.values()].map((fields) => derivedLine(fields, receivedAt))
    },
    forget(matches) {
      let dropped = 0
      for (const [key, cart] of carts) {
        if (!matches(cart)) continue
        drop(key, cart)
        abandonments.delete(key)
        dropped++
      }
      for (const [key, abandonment] of abandonments)
        if (matches({ ...abandonment, email: null })) abandonments.delete(key)
      for (const [id, fields] of pending) {
        if (
          matches({
            anonymousId: fields.anonymousId,
            userId: fields.userId,
            email: (fields.properties.email as string) ?? null,
          })
        )
          pending.delete(id)
      }
      collect(Date.now())
      return dropped
    },
    checkpoint: () => saveState(state, windowMs, recoverWithinMs),
    size: () => {
      const { carts: held, bytes, refused } = budget.totals()
      return {
        open: [...carts.values()].filter((cart) => cart.open).length,
        abandoned: abandonments.size,
        pending: pending.size,
        held,
        bytes,
        refused,
      }
    },
  }
}
