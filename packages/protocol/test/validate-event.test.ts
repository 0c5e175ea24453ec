import { describe, expect, it } from 'vitest'
import { limits, validateBatch, validateEvent } from '../src/index.js'

const base = { anonymousId: 'a-1' }

describe('validateEvent', () => {
  it('accepts each Segment type with its required fields', () => {
    expect(validateEvent({ ...base, type: 'track', event: 'Signed Up' }).ok).toBe(true)
    expect(validateEvent({ ...base, type: 'page' }).ok).toBe(true)
    expect(validateEvent({ ...base, type: 'identify', traits: { email: 'a@b.c' } }).ok).toBe(true)
    expect(validateEvent({ ...base, type: 'group', groupId: 'g1' }).ok).toBe(true)
    expect(validateEvent({ type: 'alias', userId: 'u1', previousId: 'a-1' }).ok).toBe(true)
    expect(validateEvent({ ...base, type: 'screen', name: 'Home' }).ok).toBe(true)
  })

  it('gives a readable reason for each kind of bad event', () => {
    const reason = (raw: unknown) => {
      const verdict = validateEvent(raw)
      return verdict.ok ? 'accepted' : verdict.reason
    }
    expect(reason([])).toBe('event must be a JSON object')
    expect(reason({ ...base, type: 'click' })).toMatch(/^type must be one of track, page/)
    expect(reason({ type: 'page' })).toBe('anonymousId or userId is required')
    expect(reason({ ...base, type: 'track' })).toBe('track needs an event name in "event"')
    expect(reason({ ...base, type: 'track', event: 42 })).toBe('event must be a string')
    expect(reason({ ...base, type: 'group' })).toBe('group needs a groupId')
    expect(reason({ ...base, type: 'alias', userId: 'u' })).toBe('alias needs previousId and userId')
    expect(reason({ ...base, type: 'page', properties: [1] })).toBe('properties must be a JSON object')
    expect(reason({ ...base, type: 'page', messageId: 'x'.repeat(101) })).toBe(
      'messageId is longer than 100 characters',
    )
    expect(reason({ ...base, type: 'page', originalTimestamp: 'yesterday' })).toMatch(
      /^originalTimestamp must be a real ISO-8601/,
    )
    expect(reason({ ...base, type: 'page', userId: { id: 1 } })).toBe('userId must be a string')
  })

  it('refuses an event over 32 KB and keeps one just under', () => {
    const padding = (n: number) => ({ ...base, type: 'track', event: 'Big', properties: { p: 'x'.repeat(n) } })
    const overhead = JSON.stringify(padding(0)).length
    expect(validateEvent(padding(limits.eventBytes - overhead)).ok).toBe(true)
    const verdict = validateEvent(padding(limits.eventBytes - overhead + 1))
    expect(verdict).toEqual({
      ok: false,
      reason: `event is ${limits.eventBytes + 1} bytes, over the limit of ${limits.eventBytes}`,
    })
  })

  it('counts multi-byte characters as UTF-8 bytes', () => {
    const emoji = '😀'.repeat(8200) // 4 bytes each as UTF-8, 2 UTF-16 units each
    expect(validateEvent({ ...base, type: 'track', event: 'E', properties: { emoji } }).ok).toBe(false)
  })

  it('turns numeric ids into strings and lets the route decide the type', () => {
    const verdict = validateEvent({ userId: 42, event: 'Paid', type: 'page' }, 'track')
    expect(verdict).toEqual({ ok: true, event: { type: 'track', userId: '42', event: 'Paid' } })
  })
})

describe('validateBatch', () => {
  it('judges each event alone and reports rejected indexes', () => {
    const verdict = validateBatch([
      { ...base, type: 'track', event: 'A' },
      { type: 'track', event: 'B' },
      { ...base, type: 'page' },
      'nonsense',
    ])
    expect(verdict.accepted.map((a) => a.index)).toEqual([0, 2])
    expect(verdict.rejected.map((r) => [r.index, r.reason])).toEqual([
      [1, 'anonymousId or userId is required'],
      [3, 'event must be a JSON object'],
    ])
  })

  it('reads the leap days of years 0 to 99 on their own calendar, not that of 1900 to 1999', () => {
    const at = (timestamp: string) => validateEvent({ type: 'track', event: 'E', anonymousId: 'a', timestamp }).ok
    expect([at('0000-02-29T00:00:00Z'), at('0004-02-29T00:00:00Z'), at('0001-02-29T00:00:00Z')]).toEqual([
      true,
      true,
      false,
    ])
  })
})
