import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A reverse proxy on a free port of 127.0.0.1. */
export interface ForwardingProxy {
  url: string
  close(): Promise<void>
}

/**
 * A load balancer in front of `target` as the collector sees one: each request passed on unchanged but for
 * `X-Forwarded-For`, to which it appends `client`, the address its visitors appear to come from. Unlike a
 * browser's extra headers, it reaches every request, also those a page sends as it is left (beacons).
 *
 * @param target - the origin to forward to (`http://127.0.0.1:PORT`)
 * @param client - the address written for every request
 */
export async function startForwardingProxy(target: string, client: string): Promise<ForwardingProxy> {
  const { hostname, port } = new URL(target)
  const server = createServer((incoming, outgoing) => {
    const forwarded = incoming.headers['x-forwarded-for']
    const headers = { ...incoming.headers, 'x-forwarded-for': forwarded ? `${forwarded}, ${client}` : client }
    const upstream = request({ hostname, port, method: incoming.method, path: incoming.url, headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(outgoing)
    })
    upstream.on('error', () => outgoing.destroy())
    incoming.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port: own } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${own}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
