/** The message types of the Segment spec. */
export type EventType = 'track' | 'page' | 'identify' | 'group' | 'alias' | 'screen'

export const eventTypes: readonly EventType[] = ['track', 'page', 'identify', 'group', 'alias', 'screen']

/** A JSON object as it travels on the wire. */
export type JsonObject = { [key: string]: unknown }

/** `context.page`, as the browser sees the page at the time of the call. */
export interface PageContext {
  path?: string
  referrer?: string
  search?: string
  title?: string
  url?: string
}

/** `context.campaign`, from the utm_* parameters (utm_campaign becomes `name`). */
export interface CampaignContext {
  name?: string
  source?: string
  medium?: string
  term?: string
  content?: string
  [key: string]: unknown
}

/** The `context` object of the Segment spec; every field is optional and more may be present. */
export interface Context {
  page?: PageContext
  campaign?: CampaignContext
  userAgent?: string
  userAgentData?: JsonObject
  locale?: string
  timezone?: string
  screen?: { width?: number; height?: number; density?: number }
  library?: { name: string; version: string }
  ip?: string
  traits?: JsonObject
  groupId?: string
  /** `country`: an ISO 3166-1 alpha-2 code where the collector adds it (a sender's own value is kept as sent). */
  location?: { country?: string; [key: string]: unknown }
  /** The browser and its major version, added by the collector from the user agent. */
  browser?: { name?: string; version?: string }
  os?: { name?: string; version?: string; [key: string]: unknown }
  /** `type`: `mobile`, `tablet` or `desktop` where the collector adds it. */
  device?: { type?: string; [key: string]: unknown }
  [key: string]: unknown
}

/**
 * One message as a library sends it (the Segment envelope). `anonymousId` or `userId` is required;
 * `messageId` stays identical across retries so that receivers can drop repeats.
 */
export interface Envelope {
  type: EventType
  messageId?: string
  anonymousId?: string
  userId?: string
  /** track: the event name. */
  event?: string
  /** page and screen: the page name. */
  name?: string
  /** page: the page category. */
  category?: string
  /** group: the group id. */
  groupId?: string
  /** alias: the id being merged into `userId`. */
  previousId?: string
  properties?: JsonObject
  traits?: JsonObject
  context?: Context
  /** The client's clock when the call was made. */
  originalTimestamp?: string
  /** The client's clock when the batch was sent. */
  sentAt?: string
  /** The event time when a library sets it itself (server libraries, imports). */
  timestamp?: string
}

/** The body of `POST /v1/batch`. */
export interface BatchBody {
  batch: Envelope[]
  sentAt?: string
  writeKey?: string
  context?: Context
}
