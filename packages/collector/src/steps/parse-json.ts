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
  checkDepth(text, maxDepth)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new RequestError(400, `body is not valid JSON: ${(error as Error).message}`)
  }
  // Decoded UTF-8 never holds a lone surrogate: only a \u escape can make one.
  return /\\u[dD][89a-fA-F]/.test(text) ? wellFormed(value) : value
}

function checkDepth(text: string, maxDepth: number) {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (inString) {
      if (code === 92) i++ // backslash: skip the escaped character
      else if (code === 34) inString = false
    } else if (code === 34) inString = true
    else if (code === 123 || code === 91) {
      if (++depth > maxDepth) throw new RequestError(400, `body nests JSON deeper than ${maxDepth} levels`)
    } else if (code === 125 || code === 93) depth--
  }
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
