import type { Context, MiddlewareHandler } from 'hono'
import type { SiteConfig } from '../config.js'
import type { Sites } from '../sites.js'
import { clip, type Refusals } from './refusals.js'
import { RequestError } from './request-error.js'
import { requestHeader } from './request-header.js'

/**
 * CORS for the event API: only origins some site lists are answered, never `*` (no credentials are used either
 * way), and preflights are cached for a day. Browsers sending `text/plain` need no preflight at all; the answer
 * headers let the SDK read the status and `Retry-After`. Which site may use which origin is checked by the route,
 * once the write key is known ({@link checkOrigin}).
 *
 * A refusal of the key or the origin (401, 403) is readable by any page: it is what tells a site's developer, in
 * the browser's console, why nothing arrives, where a CORS error would say nothing. It carries no data, and
 * nothing is accepted from an origin no site lists.
 *
 * Written here rather than with Hono's `cors()` and an origin function: that one sets its headers on `c.res` before
 * the route runs (a placeholder answer, merged into the route's), which made each event request about 20 µs slower
 * in process (59 → 79 µs median for the middleware and a JSON answer), and it would still need this wrapper for the
 * 403 preflight and the readable refusals.
 */
export function cors(sites: Sites, refusals?: Refusals): MiddlewareHandler {
  return async (c, next) => {
    const origin = requestHeader(c, 'origin')
    const allowed = origin !== undefined && sites.anyAllows(origin)
    if (c.req.method === 'OPTIONS') {
      if (!allowed) {
        if (origin) refusals?.unknownOrigin(origin)
        return c.body(null, 403)
      }
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': allowedHeaders(requestHeader(c, 'access-control-request-headers')),
        'Access-Control-Max-Age': '86400',
        Vary: 'Origin, Access-Control-Request-Headers',
      })
    }
    await next()
    if (allowed || (origin !== undefined && (c.res.status === 401 || c.res.status === 403))) {
      c.res.headers.set('Access-Control-Allow-Origin', origin)
      c.res.headers.set('Access-Control-Expose-Headers', 'Retry-After')
      c.res.headers.append('Vary', 'Origin')
    }
  }
}

/** Header names as a preflight lists them: tokens (RFC 9110), comma-separated, a bounded list. */
const headerList = /^[!#$%&'*+.^_`|~0-9a-z-]+( *, *[!#$%&'*+.^_`|~0-9a-z-]+)*$/i

/**
 * The request headers a preflight is answered with: those it asks for, whatever they are. Segment-compatible
 * clients add their own: analytics.js 2.0 sends `X-Retry-Count` on each retry, RudderStack's browser SDK
 * `AnonymousId` on every request and `Rsa-Request-Attempt`, `Rsa-Since-Last-Attempt` on retries, and either lets a
 * site add more. A fixed list refused their requests in the browser, every one of RudderStack's and each retry of
 * analytics.js's, where nothing reached the collector to say why. Allowing any header costs nothing: the origin is
 * one a site lists, no credentials are allowed, and the collector reads no header a page could use against it.
 */
function allowedHeaders(requested: string | undefined): string {
  const asked = requested?.trim()
  return asked && asked.length <= 1000 && headerList.test(asked) ? asked : 'Content-Type, Authorization'
}

/**
 * Whether a page comes from the collector itself on this machine (`--static` on localhost, a port chosen at run
 * time): its origin is the collector's own, and its host a loopback name. A public host is not enough: the request's
 * URL is made of its `Host` header, which a DNS-rebinding page sets to its own name, so that its origin would match.
 */
export function ownLocalPage(origin: string, requestUrl: string): boolean {
  const url = new URL(requestUrl)
  return origin === url.origin && /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(url.hostname)
}

/**
 * Refuses (403, logged) a browser's request whose page origin the key's site does not list. Requests without an
 * origin (servers) pass, and so do pages the collector serves itself on a loopback address; a site served from the
 * collector under a public name lists that origin like any other.
 */
export function checkOrigin(c: Context, sites: Sites, site: SiteConfig, refusals?: Refusals): void {
  const origin = requestHeader(c, 'origin')
  if (!origin || sites.allows(site, origin) || ownLocalPage(origin, c.req.url)) return
  refusals?.originNotAllowed(site, origin)
  const shown = clip(origin)
  // No double quotes: the snippet prints the answer as it comes, JSON escapes and all.
  throw new RequestError(
    403,
    `origin ${shown} may not send with this write key: add ${shown} to the origins of its site in the collector's config`,
  )
}
