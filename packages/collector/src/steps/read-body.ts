import type { IncomingMessage } from 'node:http'
import { promisify } from 'node:util'
import { gunzip, inflate } from 'node:zlib'
import type { Lease } from './in-flight.js'
import { RequestError } from './request-error.js'

// text/plain carries JSON from browsers without a CORS preflight; a missing type is what some senders use.
const acceptedTypes = new Set(['application/json', 'text/plain', ''])
const decoders = { gzip: promisify(gunzip), 'x-gzip': promisify(gunzip), deflate: promisify(inflate) } as const

/** The limits a body is read under. */
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
 * @param incoming - the Node request behind `request`, read directly when given (faster); default: `request.body`
 * @example
 * const text = await readBody(c.req.raw, { maxBytes: limits.batchBytes, lease: inFlight.lease() })
 */
export async function readBody(request: Request, options: ReadBodyOptions, incoming?: IncomingMessage): Promise<string> {
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
  // A declared length that does not fit now is refused before anything is read. It is not claimed up front: a
  // sender that declares 500 KB and trickles ten bytes would hold budget it never used, and a few such sockets
  // would starve every site. Bytes are claimed as they arrive.
  if (declared > 0 && lease && !lease.fits(declared)) throw overloaded()
  let claimed = 0
  // Under Node, the socket's stream is read directly: the same bytes without a web-stream wrapper per chunk.
  const chunks = incoming ? incoming[Symbol.asyncIterator]() : request.body ? webChunks(request.body) : undefined
  if (!chunks) return ''

  const received: Uint8Array[] = []
  let size = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  // A client that sends its body slowly (or stops halfway) holds memory and a connection: give it a deadline.
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), options.timeoutMs ?? 10_000)
  })
  try {
    for (;;) {
      const next = await Promise.race([chunks.next(), expired]).catch(() => 'broken' as const)
      if (next === 'expired') throw new RequestError(408, 'the body took too long to arrive')
      if (next === 'broken') throw new RequestError(408, 'the connection broke before the body arrived')
      if (next.done) break
      const value = next.value as Uint8Array
      size += value.byteLength
      if (size > maxBytes) throw new RequestError(413, `body is over the limit of ${maxBytes} bytes`)
      if (size > claimed) {
        if (lease && !lease.take(size - claimed)) throw overloaded()
        claimed = size
      }
      received.push(value)
    }
  } finally {
    clearTimeout(timer)
  }

  let bytes: Buffer = received.length === 1 ? Buffer.from(received[0]!.buffer, received[0]!.byteOffset, received[0]!.byteLength) : Buffer.concat(received)
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
    return utf8.decode(bytes)
  } catch {
    throw new RequestError(400, 'body is not valid UTF-8')
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

async function* webChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      yield value
    }
  } finally {
    reader.releaseLock()
  }
}
