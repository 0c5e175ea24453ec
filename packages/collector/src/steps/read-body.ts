import { RequestError } from './request-error.js'

// text/plain carries JSON from browsers without a CORS preflight; a missing type is what some senders use.
const acceptedTypes = new Set(['application/json', 'text/plain', ''])

/**
 * Reads a request body as UTF-8 text, refusing other content types (415) and stopping as soon as it passes
 * `maxBytes` (413) rather than buffering whatever a client sends.
 */
export async function readBody(request: Request, maxBytes: number): Promise<string> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (!acceptedTypes.has(type)) {
    throw new RequestError(415, `content type ${type} is not accepted: send application/json or text/plain`)
  }
  const declared = Number(request.headers.get('content-length'))
  if (declared > maxBytes) throw new RequestError(413, `body is ${declared} bytes, over the limit of ${maxBytes}`)
  if (!request.body) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = request.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      throw new RequestError(413, `body is over the limit of ${maxBytes} bytes`)
    }
    chunks.push(value)
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks))
  } catch {
    throw new RequestError(400, 'body is not valid UTF-8')
  }
}
