import type { JsonObject } from '@spoor/protocol'
import type { UserAgentFacts } from './user-agent-facts.js'

type Context = Record<string, unknown>

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

// Client-hint brand lists carry a decoy ("Not A(Brand", "Not_A Brand") and the engine beside the browser.
const decoyBrand = /not.?a.?brand/i

/** The browser a `userAgentData.brands` list names: the one that is neither a decoy nor the engine, else the engine. */
function brandOf(brands: unknown): { name: string; version?: string } | undefined {
  if (!Array.isArray(brands)) return undefined
  const named = brands.filter(
    (b): b is { brand: string; version?: unknown } =>
      isObject(b) && typeof b.brand === 'string' && b.brand !== '' && !decoyBrand.test(b.brand),
  )
  const chosen = named.find((b) => b.brand !== 'Chromium') ?? named[0]
  if (!chosen) return undefined
  return typeof chosen.version === 'string' && chosen.version !== ''
    ? { name: chosen.brand, version: chosen.version.split('.')[0]! }
    : { name: chosen.brand }
}

/**
 * Whether a browser or OS the event carries names nothing: absent, or without a name. RudderStack's browser SDK sends
 * `os: {name: "", version: ""}` on every event, which, kept, filed each of its visitors under a blank OS.
 */
const unnamed = (value: unknown): boolean =>
  value === undefined || (isObject(value) && (typeof value.name !== 'string' || value.name.trim() === ''))

/**
 * Adds `context.browser`, `context.os` and `context.device.type` from the user agent's facts, and where the agent
 * said nothing, from `context.userAgentData` (the browser's client hints). A value the event already carries is
 * kept, unless it names nothing: a server-side library or an app may know its device better than an agent string
 * does.
 */
export function addDeviceFacts(context: Context, facts: UserAgentFacts): void {
  const hints = isObject(context.userAgentData) ? context.userAgentData : undefined
  if (unnamed(context.browser)) {
    const browser = facts.browser ?? brandOf(hints?.brands)
    if (browser) context.browser = browser
  }
  if (unnamed(context.os)) {
    const platform = typeof hints?.platform === 'string' && hints.platform !== '' ? hints.platform : undefined
    const os = facts.os ?? (platform ? { name: platform } : undefined)
    if (os) context.os = os
  }
  const device = context.device
  if (device === undefined || (isObject(device) && device.type === undefined)) {
    const type = facts.deviceType ?? (hints?.mobile === true ? 'mobile' : undefined)
    // A copy: the device object may be the batch context's, shared by events whose agents differ.
    if (type) context.device = { ...(isObject(device) ? device : {}), type }
  }
}
