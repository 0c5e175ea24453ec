import type { Context } from 'hono'

/** The peer address of the request's socket, when served by Node; undefined under `app.request()` in tests. */
export function socketIp(c: Context): string | undefined {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
  return incoming?.socket?.remoteAddress
}
