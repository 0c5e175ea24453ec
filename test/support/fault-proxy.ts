import { createServer, request as forward, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/**
 * What the proxy does to one request: `pass` it; answer `500`, `503`, or `503-retry-after` (with `Retry-After: 1`)
 * itself; drop the connection before forwarding (`drop-before`, the collector never sees it) or after the
 * collector answered (`drop-after`, it wrote the events but the page never hears so); or `hold` the collector's
 * answer for a while.
 */
export type Fault = 'pass' | '500' | '503' | '503-retry-after' | 'drop-before' | 'drop-after' | 'hold'

/** A request as the proxy saw it, and what became of it. */
export interface ProxiedRequest {
  method: string
  /** `sec-fetch-mode`: `no-cors` for a beacon, `cors` for a fetch. */
  mode: string | null
  /** The messageIds of the events it carried. */
  ids: string[]
  fault: Fault
  /** When its headers arrived, and when the page got its answer or lost the connection (the proxy's clock, ms). */
  start: number
  end?: number
  /** The status the page got; none when the connection was dropped. */
  status?: number
}

/** Decides each request's fault, and how long a `hold` lasts (ms). */
export interface FaultPolicy {
  fault(request: { mode: string | null; ids: string[] }): Fault
  holdMs?(): number
}

export interface FaultProxy {
  url: string
  requests: ProxiedRequest[]
  /** The policy for the requests from now on (default: pass everything). */
  policy: FaultPolicy
  /** While true, every connection is reset at once: the collector is unreachable. */
  down: boolean
  close(): Promise<void>
}

/** Everything passes. */
export const noFaults: FaultPolicy = { fault: () => 'pass' }

/**
 * About `rate` of the requests get one of the six faults, in equal shares, each hold up to `maxHoldMs`.
 *
 * @param random numbers in [0, 1) (a seeded generator, so that a run can be repeated)
 */
export function randomFaults(random: () => number, rate = 0.2, maxHoldMs = 2000): FaultPolicy {
  const faults: Fault[] = ['500', '503', '503-retry-after', 'drop-before', 'drop-after', 'hold']
  return {
    fault: () => (random() < rate ? faults[Math.floor(random() * faults.length)]! : 'pass'),
    holdMs: () => Math.floor(random() * maxHoldMs),
  }
}

/** A small seeded generator of numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const idsOf = (body: string): string[] => {
  try {
    const batch = (JSON.parse(body) as { batch?: { messageId?: string }[] }).batch
    return Array.isArray(batch) ? batch.map((e) => String(e.messageId)) : []
  } catch {
    return []
  }
}

/**
 * A proxy on a free port of 127.0.0.1 between the page and a collector (`upstream()`, read per request, so the
 * collector may move), injecting faults by `policy` and recording every request with what became of it. Answers
 * it makes itself carry the CORS headers the collector's would, so the page reads their status and `Retry-After`.
 *
 * @param now the clock of `start` and `end` (default `performance.now`)
 */
export async function startFaultProxy(
  upstream: () => string,
  now: () => number = () => performance.now(),
): Promise<FaultProxy> {
  const sockets = new Set<Socket>()
  const proxy = { requests: [] as ProxiedRequest[], policy: noFaults, down: false } as FaultProxy

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const start = now()
    if (proxy.down) return void req.socket.destroy()
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const mode = (req.headers['sec-fetch-mode'] as string | undefined) ?? null
    const ids = req.method === 'POST' ? idsOf(body.toString('utf8')) : []
    const fault = req.method === 'POST' ? proxy.policy.fault({ mode, ids }) : 'pass'
    const seen: ProxiedRequest = { method: req.method ?? '', mode, ids, fault, start }
    proxy.requests.push(seen)
    const drop = () => {
      seen.end = now()
      req.socket.destroy()
    }
    res.on('finish', () => {
      seen.end = now()
      seen.status = res.statusCode
    })
    const origin = req.headers.origin
    const cors = origin
      ? { 'access-control-allow-origin': origin, 'access-control-expose-headers': 'Retry-After', vary: 'Origin' }
      : {}
    if (fault === 'drop-before') return drop()
    if (fault === '500' || fault === '503' || fault === '503-retry-after') {
      const retry = fault === '503-retry-after' ? { 'retry-after': '1' } : {}
      res.writeHead(Number(fault.slice(0, 3)), { 'content-type': 'application/json', ...cors, ...retry })
      return void res.end('{"success":false,"error":"injected fault"}')
    }
    const target = new URL(req.url ?? '/', upstream())
    const answer = await new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer } | undefined>(
      (resolve) => {
        const out = forward(
          target,
          { method: req.method, headers: { ...req.headers, host: target.host } },
          async (up) => {
            const parts: Buffer[] = []
            for await (const part of up) parts.push(part as Buffer)
            resolve({ status: up.statusCode ?? 502, headers: up.headers, body: Buffer.concat(parts) })
          },
        )
        // The collector itself unreachable: the page sees what it would see without the proxy, a failed connection.
        out.on('error', () => resolve(undefined))
        out.end(body)
      },
    )
    if (!answer || fault === 'drop-after' || proxy.down) return drop()
    if (fault === 'hold') await new Promise((resolve) => setTimeout(resolve, proxy.policy.holdMs?.() ?? 2000))
    if (proxy.down) return drop()
    const { 'transfer-encoding': _chunked, connection: _connection, ...headers } = answer.headers
    res.writeHead(answer.status, headers)
    res.end(answer.body)
  }

  const server: Server = createServer((req, res) => void handle(req, res).catch(() => req.socket.destroy()))
  server.on('connection', (socket) => {
    if (proxy.down) return void socket.destroy()
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  proxy.url = `http://127.0.0.1:${port}`
  proxy.close = () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy()
      server.close(() => resolve())
    })
  return proxy
}

/** Per messageId, how many requests carried it. */
export function copiesSent(requests: ProxiedRequest[]): Map<string, number> {
  const copies = new Map<string, number>()
  for (const request of requests) for (const id of request.ids) copies.set(id, (copies.get(id) ?? 0) + 1)
  return copies
}

/**
 * The messageIds that were in two requests at once (between arrival and answer, at the proxy): copies a collector
 * may write twice, since neither write has finished when the other arrives.
 */
export function concurrentCopies(requests: ProxiedRequest[]): string[] {
  const byId = new Map<string, ProxiedRequest[]>()
  for (const request of requests) for (const id of request.ids) byId.set(id, [...(byId.get(id) ?? []), request])
  const overlapping: string[] = []
  for (const [id, carriers] of byId) {
    let busyUntil = -Infinity
    for (const carrier of carriers.sort((a, b) => a.start - b.start)) {
      if (carrier.start < busyUntil) {
        overlapping.push(id)
        break
      }
      busyUntil = Math.max(busyUntil, carrier.end ?? Infinity)
    }
  }
  return overlapping
}
