import { createHash } from 'node:crypto'

/** What the collector remembers of one message (a campaign's email to one recipient) when another request comes. */
export interface MessageSighting {
  /** Seconds since the first open or click of the message, or null when this is the first. */
  secondsSinceFirst: number | null
  /**
   * Whether, within the burst window before this click, another link of the message was clicked, or a link of it
   * was checked with HEAD and this is a GET.
   */
  burst: boolean
}

/**
 * Remembers, per message, when it was first seen and its last click, to tell machines by their timing: security
 * gateways follow every link of a message within a second or two, and a person cannot click two links of one mail
 * that fast (the first click takes them away). Bounded and per process: after a restart, or for a message pushed
 * out by newer ones, the next request counts as the first.
 */
export interface MessageMemory {
  see(key: string, click?: { linkId: string; head?: boolean }): MessageSighting
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
  // `clicks`: the latest click of each of the last two links clicked, newest first: enough to tell whether another
  // link was clicked lately, even when this link was just clicked too (a gateway's HEAD, then its GET).
  type Seen = { first: number; clicks: { at: number; linkId: string }[]; headAt?: number }
  const messages = new Map<string, Seen>()
  const note = (seen: Seen, at: number, click: { linkId: string; head?: boolean }) => {
    seen.clicks = [{ at, linkId: click.linkId }, ...seen.clicks.filter((c) => c.linkId !== click.linkId)].slice(0, 2)
    if (click.head) seen.headAt = at
  }
  return {
    get size() {
      return messages.size
    },
    capacity,
    see(message, clicked) {
      const now = Date.now()
      const key = digest(message)
      const click = clicked && { linkId: digest(clicked.linkId), head: clicked.head === true }
      const seen = messages.get(key)
      if (!seen) {
        const first: Seen = { first: now, clicks: [] }
        if (click) note(first, now, click)
        messages.set(key, first)
        for (const oldest of messages.keys()) {
          if (messages.size <= capacity) break
          messages.delete(oldest)
        }
        return { secondsSinceFirst: null, burst: false }
      }
      let burst = false
      if (click) {
        const other = seen.clicks.find((c) => c.linkId !== click.linkId)
        // A person's mail client or browser never sends HEAD: a GET right behind one is the gateway following up.
        const afterHead = !click.head && seen.headAt !== undefined && now - seen.headAt <= burstMs
        burst = (other !== undefined && now - other.at <= burstMs) || afterHead
        note(seen, now, click)
      }
      return { secondsSinceFirst: Math.round((now - seen.first) / 100) / 10, burst }
    },
  }
}
