import { isIP } from 'node:net'
import type { Context } from 'hono'
import { type NodeEnv, nodeRequestOf } from './request-header.js'

/** The peer address of the request's socket, when served by Node; undefined under `app.request()` in tests. */
export function socketIp(c: Context<NodeEnv>): string | undefined {
  return nodeRequestOf(c)?.socket?.remoteAddress
}

/**
 * The client's address behind `trustedProxies` proxies of your own (load balancer, CDN): the socket's peer is the
 * nearest proxy, and each proxy appends the address it saw to `X-Forwarded-For`, so the client is found by walking
 * the list from the right, one entry per trusted proxy. The leftmost entries are whatever the client wrote and are
 * never trusted (spoofing reports against Plausible set-ups). With 0 trusted proxies the header is ignored. Trusting
 * proxies assumes clients cannot reach the collector directly: one that can writes the entries your proxies would.
 *
 * @param trustedProxies - how many proxies of yours stand in front of the collector (default 0)
 * @param peer - the socket's address (default {@link socketIp})
 * @example
 * // One load balancer: "X-Forwarded-For: spoofed, 198.51.100.7" from the balancer → 198.51.100.7
 * createApp({ config, sink, clientIp: clientIpResolver(1) })
 */
export function clientIpResolver(trustedProxies = 0, peer: (c: Context) => string | undefined = socketIp) {
  return (c: Context): string | undefined => {
    const socket = peer(c)
    if (trustedProxies <= 0) return socket
    const forwarded = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
    const chain = socket ? [...forwarded, socket] : forwarded
    // chain[last] is the nearest proxy; each trusted proxy vouches for the entry to its left.
    const candidate = chain[chain.length - 1 - trustedProxies] ?? chain[0]
    // An entry that is not an address stands for the socket's peer: answering "no address" would take the request
    // out of the per-address limit, and a client could rotate garbage to escape it.
    return candidate && isIP(stripPort(candidate)) ? stripPort(candidate) : socket
  }
}

// Some proxies write "203.0.113.7:51234" or "[2001:db8::1]:443".
function stripPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry)
  if (bracketed) return bracketed[1]!
  const v4 = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(entry)
  return v4 ? v4[1]! : entry
}
