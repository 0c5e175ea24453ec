import type { IncomingMessage } from 'node:http'
import { promisify } from 'node:util'
import { gunzip, inflate } from 'node:zlib'
import type { Lease } from './in-flight.js'
import { RequestError } from './request-error.js'

// text/plain carries JSON from browsers without a CORS preflight; a missing type is what some senders use.
const acceptedTypes = new Set(['application/json', 'text/plain', ''])
// RudderStack's Node SDK (@rudderstack/rudder-sdk-node 2 and 3) posts its gzipped JSON batches labelled
// application/x-www-form-urlencoded (axios's default for a buffer): such a body is taken when it is a JSON object,
// and a real form is still refused as a type the API does not speak.
const formType = 'application/x-www-form-urlencoded'
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
export async function readBody(
  request: Request,
  options: ReadBodyOptions,
  incoming?: IncomingMessage,
): Promise<string> {
  const { maxBytes, lease } = options
  // Node's own headers when it is there: a Fetch `Headers` would be built from them for these three reads.
  const header = (name: string) => (incoming ? headerOf(incoming, name) : (request.headers.get(name) ?? undefined))
  const type = (header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (!acceptedTypes.has(type) && type !== formType) {
    throw new RequestError(415, `content type ${type} is not accepted: send application/json or text/plain`)
  }
  const encoding = (header('content-encoding') ?? 'identity').trim().toLowerCase()
  if (encoding !== 'identity' && !(encoding in decoders)) {
    throw new RequestError(415, `content encoding ${encoding} is not accepted: send gzip, deflate or none`)
  }
  const declared = Number(header('content-length') ?? null)
  if (declared > maxBytes) throw new RequestError(413, `body is ${declared} bytes, over the limit of ${maxBytes}`)
  // A declared length that does not fit now is refused before anything is read. It is not claimed up front: a
  // sender that declares 500 KB and trickles ten bytes would hold budget it never used, and a few such sockets
  // would starve every site. Bytes are claimed as they arrive.
  if (declared > 0 && lease && !lease.fits(declared)) throw overloaded()
  const timeoutMs = options.timeoutMs ?? 10_000
  const received = incoming
    ? await nodeChunks(incoming, maxBytes, lease, timeoutMs)
    : request.body
      ? await webStreamChunks(webChunks(request.body), maxBytes, lease, timeoutMs)
      : undefined
  if (!received) return ''

  let bytes: Buffer =
    received.length === 1
      ? Buffer.from(received[0]!.buffer, received[0]!.byteOffset, received[0]!.byteLength)
      : Buffer.concat(received)
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
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    throw new RequestError(400, 'body is not valid UTF-8')
  }
  if (type === formType && !/^\s*\{/.test(text)) {
    throw new RequestError(415, `content type ${type} is not accepted: send application/json or text/plain`)
  }
  return text
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

const headerOf = (incoming: IncomingMessage, name: string): string | undefined => {
  const value = incoming.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

const tooLarge = (maxBytes: number) => new RequestError(413, `body is over the limit of ${maxBytes} bytes`)

/**
 * Node's request body, read with listeners rather than an async iterator: one promise and one timer per body,
 * not a promise and a race per chunk. Bytes are claimed from `lease` as they arrive; past `maxBytes` or the budget,
 * or past the deadline, reading stops at once (the rest of the body is never buffered).
 */
function nodeChunks(
  incoming: IncomingMessage,
  maxBytes: number,
  lease: Lease | undefined,
  timeoutMs: number,
): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = []
    let size = 0
    const stop = (error?: RequestError) => {
      clearTimeout(timer)
      incoming.off('data', onData).off('end', onEnd).off('error', onBroken).off('close', onBroken)
      if (!error) return resolve(chunks)
      // Not read further: a refused body is not buffered, and its connection may be closed before the end of it.
      incoming.pause()
      reject(error)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength
      if (size > maxBytes) return stop(tooLarge(maxBytes))
      if (lease && !lease.take(chunk.byteLength)) return stop(overloaded())
      chunks.push(chunk)
    }
    const onEnd = () => stop()
    const onBroken = () => stop(new RequestError(408, 'the connection broke before the body arrived'))
    const timer = setTimeout(() => stop(new RequestError(408, 'the body took too long to arrive')), timeoutMs)
    incoming.on('data', onData).on('end', onEnd).on('error', onBroken).on('close', onBroken)
  })
}

/** A web stream's body (tests through `app.request()`, other runtimes), under the same limits. */
async function webStreamChunks(
  chunks: AsyncIterator<Uint8Array>,
  maxBytes: number,
  lease: Lease | undefined,
  timeoutMs: number,
): Promise<Uint8Array[]> {
  const received: Uint8Array[] = []
  let size = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  // A client that sends its body slowly (or stops halfway) holds memory and a connection: give it a deadline.
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), timeoutMs)
  })
  try {
    for (;;) {
      const next = await Promise.race([chunks.next(), expired]).catch(() => 'broken' as const)
      if (next === 'expired') throw new RequestError(408, 'the body took too long to arrive')
      if (next === 'broken') throw new RequestError(408, 'the connection broke before the body arrived')
      if (next.done) return received
      const value = next.value
      size += value.byteLength
      if (size > maxBytes) throw tooLarge(maxBytes)
      if (lease && !lease.take(value.byteLength)) throw overloaded()
      received.push(value)
    }
  } finally {
    clearTimeout(timer)
  }
}

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
