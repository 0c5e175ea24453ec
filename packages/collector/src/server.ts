import type { Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { EventSink } from '@spoor/protocol'
import type { Hono } from 'hono'

export interface ServerOptions {
  app: Hono
  sink: EventSink
  port?: number
  hostname?: string
  /**
   * Time a client has to send its headers and its whole request, in ms (default 15 s). Past it Node answers 408
   * and closes the connection: a slow client cannot hold a connection (slowloris). The event API's own body
   * deadline (`bodyTimeoutMs`) answers first, with a JSON reason.
   */
  requestTimeoutMs?: number
  /** On close, the longest wait for in-flight requests before their connections are cut, in ms (default 30 s). */
  drainTimeoutMs?: number
}

export interface RunningServer {
  /** `http://host:port`, with the port actually bound (useful with port 0). */
  url: string
  port: number
  /** Stops accepting, lets in-flight requests finish, then publishes the sink's open files. */
  close(): Promise<void>
}

/**
 * Serves the collector on Node's HTTP server.
 *
 * @example
 * const server = await startServer({ app, sink, port: 8787 })
 * process.on('SIGTERM', () => server.close().then(() => process.exit(0)))
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const hostname = options.hostname ?? '0.0.0.0'
  const requestTimeout = options.requestTimeoutMs ?? 15_000
  const server = await new Promise<Server>((resolve, reject) => {
    const created = serve(
      {
        fetch: options.app.fetch,
        port: options.port ?? 8787,
        hostname,
        serverOptions: {
          requestTimeout,
          headersTimeout: requestTimeout,
          // Node checks the two timeouts above on this interval (30 s by default, far coarser than them).
          connectionsCheckingInterval: Math.min(1000, requestTimeout),
          keepAliveTimeout: 5000,
        },
      },
      () => resolve(created as Server),
    )
    ;(created as Server).once('error', reject)
  })
  const { port } = server.address() as AddressInfo
  const shown = hostname === '0.0.0.0' || hostname === '::' ? 'localhost' : hostname
  let closing: Promise<void> | undefined
  // Closing the server closes only the keep-alive connections idle at that moment: a sender that keeps one busy
  // (a backend's batches, a browser's queue) went on being served, and the collector took new events until the
  // drain deadline cut its connection mid-request. So once closing, every answer not yet sent ends its connection.
  const answering = new Set<ServerResponse>()
  server.prependListener('request', (_request, response: ServerResponse) => {
    if (closing) return void response.setHeader('connection', 'close')
    answering.add(response)
    response.once('close', () => answering.delete(response))
  })
  return {
    url: `http://${shown}:${port}`,
    port,
    close: () =>
      (closing ??= (async () => {
        for (const response of answering) if (!response.headersSent) response.setHeader('connection', 'close')
        answering.clear()
        await new Promise<void>((resolve) => {
          // A request that is still running after the drain deadline is cut: its sender gets no 2xx and retries.
          const deadline = setTimeout(() => server.closeAllConnections(), options.drainTimeoutMs ?? 30_000)
          deadline.unref()
          server.close(() => {
            clearTimeout(deadline)
            resolve()
          })
          // Idle keep-alive connections would hold close() open; busy ones finish their request first.
          server.closeIdleConnections()
        })
        await options.sink.close()
      })()),
  }
}
