import type { Context } from 'hono'
import { requestHeader } from '../steps/request-header.js'
import type { ClientHints } from './client-hints.js'

/** The request's low-entropy client hints; undefined when it has none (every browser but Chromium's). */
export function clientHintsOf(c: Context): ClientHints | undefined {
  const brands = requestHeader(c, 'sec-ch-ua')
  if (brands === undefined) return undefined
  return { brands, mobile: requestHeader(c, 'sec-ch-ua-mobile'), platform: requestHeader(c, 'sec-ch-ua-platform') }
}
