import type { Context } from 'hono'
import type { SiteConfig } from '../config.js'
import type { Sites } from '../sites.js'
import { clip, type Refusals } from './refusals.js'
import { RequestError } from './request-error.js'
import { requestHeader } from './request-header.js'

/**
 * The write key of a request: the HTTP Basic user (Segment libraries: `Authorization: Basic base64(key:)`), else
 * the body's `writeKey` (beacons cannot set headers), else the `writeKey` query parameter.
 */
export function writeKeyOf(c: Context, bodyKey: string | undefined): string | undefined {
  const authorization = requestHeader(c, 'authorization')
  if (authorization?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8')
    const user = decoded.split(':')[0]
    if (user) return user
  }
  return bodyKey ?? new URL(c.req.url).searchParams.get('writeKey') ?? undefined
}

/** The site whose write key a request carries; a missing or unknown key is refused (401) and logged. */
export function siteOfRequest(c: Context, bodyKey: string | undefined, sites: Sites, refusals?: Refusals): SiteConfig {
  const origin = () => requestHeader(c, 'origin')
  const writeKey = writeKeyOf(c, bodyKey)
  if (!writeKey) {
    refusals?.missingKey(origin())
    throw new RequestError(401, 'missing write key: send it as the HTTP Basic user or as "writeKey" in the body')
  }
  const site = sites.byKey(writeKey)
  if (!site) {
    refusals?.unknownKey(writeKey, new URL(c.req.url).pathname, origin())
    throw new RequestError(401, `unknown write key '${clip(writeKey, 64)}': no site of this collector has it`)
  }
  return site
}
