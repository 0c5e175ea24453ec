import type { EventLine } from '@spoor/protocol'
import type { Cart } from './cart-records.js'

/** Which carts belong to which visitor (by anonymous id and by user id), and the key strings both are found by. */
export interface VisitorCarts {
  /** A cart's key: its site and cart key (`cart_id`, or `visitor:ID` for a site that sends none). */
  keyOf(writeKey: string, cartKey: string): string
  /** Files the cart `key` under the visitor's ids. */
  link(writeKey: string, anonymousId: string | null, userId: string | null, key: string): void
  /** The carts of the line's visitor, each once; a new array, empty for a visitor without carts. */
  cartsOf(line: Pick<EventLine, 'writeKey' | 'anonymousId' | 'userId'>): Cart[]
  /** Forgets the keys of carts no longer held, and visitors left with none. */
  prune(): void
  /** The index as a checkpoint keeps it: each visitor with their cart key, or keys. */
  entries(): [visitor: string, keys: string | string[]][]
  /** Files a checkpoint's entries back into the index. */
  restore(entries: [visitor: string, keys: string | string[]][]): void
}

/** The visitor index over `carts` (the detector's own map: the index only names its keys). */
export function createVisitorCarts(carts: Map<string, Cart>): VisitorCarts {
  /**
   * Visitor (`writeKey\nanon:ID` / `writeKey\nuser:ID`) → the key of their cart, or a set of keys once they have
   * more than one. Most visitors have one cart, and a set of one cost about 150 bytes of the 1.2 KB a cart held.
   */
  const visitors = new Map<string, string | Set<string>>()
  const addCart = (found: Cart[], key: string) => {
    const cart = carts.get(key)
    if (cart && !found.includes(cart)) found.push(cart)
  }

  // A batch is mostly one visitor's events about one cart: the keys of the last ones asked for are kept, so that
  // such a batch builds each key string once rather than once per event, and looks it up by the same string.
  let lastKey = { writeKey: '', cartKey: '', key: '\n' }
  const keyOf = (writeKey: string, cartKey: string) => {
    if (writeKey !== lastKey.writeKey || cartKey !== lastKey.cartKey)
      lastKey = { writeKey, cartKey, key: `${writeKey}\n${cartKey}` }
    return lastKey.key
  }
  let lastVisitor = {
    writeKey: '',
    anonymousId: null as string | null,
    userId: null as string | null,
    keys: [] as readonly string[],
  }
  const visitorKeys = (writeKey: string, anonymousId: string | null, userId: string | null): readonly string[] => {
    const last = lastVisitor
    if (writeKey === last.writeKey && anonymousId === last.anonymousId && userId === last.userId) return last.keys
    const keys: string[] = []
    if (anonymousId) keys.push(`${writeKey}\nanon:${anonymousId}`)
    if (userId) keys.push(`${writeKey}\nuser:${userId}`)
    lastVisitor = { writeKey, anonymousId, userId, keys }
    return keys
  }

  return {
    keyOf,
    link(writeKey, anonymousId, userId, key) {
      for (const visitor of visitorKeys(writeKey, anonymousId, userId)) {
        const keys = visitors.get(visitor)
        if (keys === undefined) visitors.set(visitor, key)
        else if (typeof keys !== 'string') keys.add(key)
        else if (keys !== key) visitors.set(visitor, new Set([keys, key]))
      }
    },
    cartsOf(line) {
      const found: Cart[] = []
      for (const visitor of visitorKeys(line.writeKey, line.anonymousId, line.userId)) {
        const keys = visitors.get(visitor)
        if (typeof keys === 'string') addCart(found, keys)
        else if (keys) for (const key of keys) addCart(found, key)
      }
      return found
    },
    prune() {
      for (const [visitor, keys] of visitors) {
        if (typeof keys === 'string') {
          if (!carts.has(keys)) visitors.delete(visitor)
          continue
        }
        for (const key of keys) if (!carts.has(key)) keys.delete(key)
        if (keys.size === 0) visitors.delete(visitor)
      }
    },
    entries: () => [...visitors].map(([visitor, keys]) => [visitor, typeof keys === 'string' ? keys : [...keys]]),
    restore(entries) {
      for (const [visitor, keys] of entries) visitors.set(visitor, typeof keys === 'string' ? keys : new Set(keys))
    },
  }
}
