import { Hono } from 'hono'

/** `GET /healthz`: the process is alive and answering. */
export function health(): Hono {
  return new Hono().get('/healthz', (c) => c.json({ status: 'ok' }))
}
