import { createHash } from 'node:crypto'

/** What the collector remembers of one message (a campaign's email to one recipient) when another request comes. */
export interface MessageSighting {
  /** Seconds since the first open or click of the message, or null when this is the first. */
  secondsSinceFirst: number | null
  /** Whether another link of the message was clicked within the burst window before this click. */
  burst: boolean
}

/**
 * Remembers, per message, when it was first seen and its last click, to tell machines by their timing: security
 * gateways follow every link of a message within a second or two, and a person cannot click two links of one mail
 * that fast (the first click takes them away). Bounded and per process: after a restart, or for a message pushed
 * out by newer ones, the next request counts as the first.
 */
export interface MessageMemory {
  see(key: string, click?: { linkId: string }): MessageSighting
  /** Messages remembered now. */
  readonly size: number
  /** The most messages remembered at once. */
  readonly capacity: number
}

// The key holds the recipient id, which the mail service fills in and anyone can make as long as a request allows:
// only a fixed-size digest of it, and of the link id, is kept, so an entry costs the same whatever was sent.
const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22)

/**
 * Creates the per-message memory of the email routes.
 *
 * @param burstMs - two clicks on different links of a message this close are a burst (default 2 s)
 * @param capacity - messages remembered; the oldest are forgotten first (default 200,000)
 */
export function createMessageMemory({ burstMs = 2000, capacity = 200_000 } = {}): MessageMemory {
  const messages = new Map<string, { first: number; lastClick?: { at: number; linkId: string } }>()
  return {
    get size() {
      return messages.size
    },
    capacity,
    see(message, clicked) {
      const now = Date.now()
      const key = digest(message)
      const click = clicked && { linkId: digest(clicked.linkId) }
      const seen = messages.get(key)
      if (!seen) {
        messages.set(key, { first: now, ...(click ? { lastClick: { at: now, linkId: click.linkId } } : {}) })
        for (const oldest of messages.keys()) {
          if (messages.size <= capacity) break
          messages.delete(oldest)
        }
        return { secondsSinceFirst: null, burst: false }
      }
      const last = seen.lastClick
      const burst = Boolean(click && last && last.linkId !== click.linkId && now - last.at <= burstMs)
      if (click) seen.lastClick = { at: now, linkId: click.linkId }
      return { secondsSinceFirst: Math.round((now - seen.first) / 100) / 10, burst }
    },
  }
}
