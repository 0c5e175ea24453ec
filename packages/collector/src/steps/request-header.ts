import type { IncomingMessage } from 'node:http'
import type { HttpBindings } from '@hono/node-server'
import type { Context } from 'hono'

/** The collector's Hono environment: served by Node, a request's bindings are Node's request and response. */
export type NodeEnv = { Bindings: HttpBindings }

/**
 * Node's own request behind a Hono request, when the collector is served by Node; undefined under `app.request()`,
 * which passes no bindings at all.
 */
export const nodeRequestOf = (c: Context<NodeEnv>): IncomingMessage | undefined => c.env?.incoming

/**
 * One request header (`name` in lower case), read from Node's own request when the collector is served by Node:
 * there, Hono's `c.req.header()` first builds a whole Fetch `Headers` object from the raw headers, a cost every
 * pixel would pay to read two or three of them. Elsewhere (`app.request()` in tests) it is `c.req.header()`.
 */
export function requestHeader(c: Context<NodeEnv>, name: string): string | undefined {
  const incoming = nodeRequestOf(c)
  if (!incoming?.headers) return c.req.header(name)
  const value = incoming.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}
