import { promisify } from 'node:util'
import { gunzip, inflate } from 'node:zlib'
import type { Lease } from './in-flight.js'
import { RequestError } from './request-error.js'

// text/plain carries JSON from browsers without a CORS preflight; a missing type is what some senders use.
const acceptedTypes = new Set(['application/json', 'text/plain', ''])
const decoders = { gzip: promisify(gunzip), 'x-gzip': promisify(gunzip), deflate: promisify(inflate) } as const

export interface ReadBodyOptions {
  /** Largest body, compressed or not (413 past it). */
  maxBytes: number
  /** Claims memory for what is read; past the in-flight cap the request is refused with 503. */
  lease?: Lease
  /** Time allowed to receive the whole body, in ms (408 past it; default 10 s). */
  timeoutMs?: number
}

const overloaded = () =>
  new RequestError(503, 'the collector is busy (too many bytes in flight); retry later', { 'Retry-After': '2' })

/**
 * Reads a request body as UTF-8 text: refuses other content types (415) and encodings (415), stops as soon as it
 * passes `maxBytes` (413) rather than buffering whatever a client sends, inflates gzip and deflate bodies with the
 * same cap on the decompressed size, gives up on a client too slow to send it (408), and refuses invalid UTF-8
 * (400).
 *
 * @example
 * const text = await readBody(c.req.raw, { maxBytes: limits.batchBytes, lease: inFlight.lease() })
 */
export async function readBody(request: Request, options: ReadBodyOptions): Promise<string> {
  const { maxBytes, lease } = options
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (!acceptedTypes.has(type)) {
    throw new RequestError(415, `content type ${type} is not accepted: send application/json or text/plain`)
  }
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase()
  if (encoding !== 'identity' && !(encoding in decoders)) {
    throw new RequestError(415, `content encoding ${encoding} is not accepted: send gzip, deflate or none`)
  }
  const declared = Number(request.headers.get('content-length'))
  if (declared > maxBytes) throw new RequestError(413, `body is ${declared} bytes, over the limit of ${maxBytes}`)
  // A declared length is claimed up front, so an overloaded collector refuses before reading anything.
  let claimed = 0
  if (declared > 0) {
    if (lease && !lease.take(declared)) throw overloaded()
    claimed = declared
  }
  if (!request.body) return ''

  const chunks: Uint8Array[] = []
  let size = 0
  let expired = false
  const reader = request.body.getReader()
  // A client that sends its body slowly (or stops halfway) holds memory and a connection: give it a deadline.
  const timer = setTimeout(() => {
    expired = true
    void reader.cancel().catch(() => {})
  }, options.timeoutMs ?? 10_000)
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > maxBytes) {
        await reader.cancel().catch(() => {})
        throw new RequestError(413, `body is over the limit of ${maxBytes} bytes`)
      }
      if (size > claimed) {
        if (lease && !lease.take(size - claimed)) {
          await reader.cancel().catch(() => {})
          throw overloaded()
        }
        claimed = size
      }
      chunks.push(value)
    }
  } catch (error) {
    if (error instanceof RequestError) throw error
    throw new RequestError(408, 'the connection broke before the body arrived')
  } finally {
    clearTimeout(timer)
  }
  if (expired) throw new RequestError(408, 'the body took too long to arrive')

  let bytes: Buffer = Buffer.concat(chunks)
  if (encoding !== 'identity') {
    try {
      bytes = await decoders[encoding as keyof typeof decoders](bytes, { maxOutputLength: maxBytes })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new RequestError(413, `decompressed body is over the limit of ${maxBytes} bytes`)
      }
      throw new RequestError(400, `body is not valid ${encoding}`)
    }
    if (lease && !lease.take(bytes.length)) throw overloaded()
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new RequestError(400, 'body is not valid UTF-8')
  }
}
