import type { MiddlewareHandler } from 'hono'
import type { Sites } from '../sites.js'

/**
 * CORS for the event API: only origins some site lists are answered, never `*` (no credentials are used either
 * way), and preflights are cached for a day. Browsers sending `text/plain` need no preflight at all; the answer
 * headers let the SDK read the status and `Retry-After`. Which site may use which origin is checked by the route,
 * once the write key is known.
 */
export function cors(sites: Sites): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin')
    const allowed = origin !== undefined && sites.anyAllows(origin)
    if (c.req.method === 'OPTIONS') {
      if (!allowed) return c.body(null, 403)
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type, Authorization',
        'Access-Control-Max-Age': '86400',
        Vary: 'Origin',
      })
    }
    await next()
    if (allowed) {
      c.res.headers.set('Access-Control-Allow-Origin', origin)
      c.res.headers.set('Access-Control-Expose-Headers', 'Retry-After')
      c.res.headers.append('Vary', 'Origin')
    }
  }
}
