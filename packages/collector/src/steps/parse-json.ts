import { RequestError } from './request-error.js'

/** How deep a body's JSON may nest; a Segment batch with e-commerce products needs about 7. */
export const maxJsonDepth = 32

/**
 * Parses a request body, refusing JSON nested deeper than `maxDepth` (400) before it reaches code that recurses
 * (`JSON.stringify` throws a RangeError on deep enough input), and replacing lone UTF-16 surrogates (`"\ud800"`,
 * valid JSON but not valid Unicode, which warehouses refuse to load) with U+FFFD, as browsers do when they encode
 * a string.
 *
 * @param maxDepth - nesting allowed (default {@link maxJsonDepth})
 */
export function parseJson(text: string, maxDepth = maxJsonDepth): unknown {
  let value: unknown
  try {
    // V8's JSON.parse does not recurse, so depth is checked on what it built (fewer steps than the text's bytes).
    value = JSON.parse(text)
  } catch (error) {
    throw new RequestError(400, `body is not valid JSON: ${(error as Error).message}`)
  }
  if (deeperThan(value, maxDepth)) throw new RequestError(400, `body nests JSON deeper than ${maxDepth} levels`)
  // Decoded UTF-8 never holds a lone surrogate: only a \u escape can make one.
  // (A body without any escape, as most are, is passed over by the quicker search.)
  return text.includes('\\u') && /\\u[dD][89a-fA-F]/.test(text) ? wellFormed(value) : value
}

/** Whether `value` nests objects and arrays more than `levels` deep; stops descending at the limit. */
function deeperThan(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (levels === 0) return true
  if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'object' && item !== null && deeperThan(item, levels - 1)) return true
    return false
  }
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key]
    if (typeof item === 'object' && item !== null && deeperThan(item, levels - 1)) return true
  }
  return false
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g
const fix = (text: string) => text.replace(loneSurrogate, '\uFFFD')

function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return fix(value)
  if (Array.isArray(value)) return value.map(wellFormed)
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) out[fix(key)] = wellFormed(item)
    return out
  }
  return value
}
