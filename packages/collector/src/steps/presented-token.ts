import { createHash, timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'

const digest = (text: string) => createHash('sha256').update(text).digest()

/** Whether a request presents `token`: `Authorization: Bearer …` (scripts, Prometheus) or the password of HTTP Basic (a browser's login prompt). Compared in constant time. */
export function presentsToken(c: Context, token: string): boolean {
  const header = c.req.header('authorization') ?? ''
  const [scheme, value] = header.split(' ', 2)
  let presented: string | undefined
  if (scheme?.toLowerCase() === 'bearer') presented = value
  else if (scheme?.toLowerCase() === 'basic' && value) {
    const decoded = Buffer.from(value, 'base64').toString('utf8')
    presented = decoded.slice(decoded.indexOf(':') + 1)
  }
  return presented !== undefined && timingSafeEqual(digest(presented), digest(token))
}
