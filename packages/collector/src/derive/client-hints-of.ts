import type { Context } from 'hono'
import { requestHeader } from '../steps/request-header.js'
import type { ClientHints } from './client-hints.js'

/** The request's low-entropy client hints (none but from Chromium-based browsers) and languages. */
export function clientHintsOf(c: Context): ClientHints {
  const language = requestHeader(c, 'accept-language')
  const brands = requestHeader(c, 'sec-ch-ua')
  if (brands === undefined) return { language }
  return {
    brands,
    mobile: requestHeader(c, 'sec-ch-ua-mobile'),
    platform: requestHeader(c, 'sec-ch-ua-platform'),
    language,
  }
}
