import { describe, expect, it } from 'vitest'
import { parseRetryAfter } from '../src/core/backoff.js'

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z')

  it('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000)
  })

  it('gives no advice for what is absent, unreadable, now or past: the retry waits the usual backoff', () => {
    for (const header of [null, undefined, '', 'soon', '0', '-5', 'Wed, 31 Dec 2025 23:59:00 GMT']) {
      expect(parseRetryAfter(header, now)).toBeUndefined()
    }
  })
})
