/** How an email open or click came about, as far as the collector can tell. */
export type Classification = 'human' | 'apple_mpp' | 'gmail_proxy' | 'scanner' | 'bot'

/** Every classification, people first. */
export const classifications: readonly Classification[] = ['human', 'apple_mpp', 'gmail_proxy', 'scanner', 'bot']

/**
 * Whether a classification means no person was behind the open or click. A `gmail_proxy` open is a person
 * opening the mail in Gmail (Gmail fetches images through its proxy when the message is opened, and honours
 * `no-cache`, so re-opens reach us too); Apple Mail Privacy Protection fetches every image on delivery, whether the
 * mail is read or not; scanners and bots are machines.
 *
 * @example
 * isMachine('apple_mpp') // → true
 */
export function isMachine(classification: unknown): boolean {
  return classification === 'apple_mpp' || classification === 'scanner' || classification === 'bot'
}

/** Why an open or click got its classification: what decided, and every signal seen, whichever decided. */
export interface Evidence {
  /** What decided: the request method, a configured address range, the user agent, a burst of clicks, or none. */
  rule: 'head_request' | 'address_range' | 'user_agent' | 'click_burst' | 'none'
  method: string
  /** The name of the user-agent pattern that matched, or null. */
  user_agent_pattern: string | null
  /** Seconds since the first open or click of the same message (campaign, email, recipient), or null for the first. */
  seconds_since_first: number | null
  /** The name of the configured address range the client's address is in, or null. */
  address_range: string | null
}
