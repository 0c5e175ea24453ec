import { createLogger } from '@spoor/log'
import { describe, expect, it } from 'vitest'
import { createWarnOnce } from '../src/warn-once.js'

function setUp(options: Parameters<typeof createWarnOnce>[1] = {}) {
  let clock = 0
  const lines: Record<string, unknown>[] = []
  const warn = createWarnOnce(
    createLogger((line) => lines.push(JSON.parse(line))),
    { now: () => clock, ...options },
  )
  return { warn, lines, advance: (ms: number) => (clock += ms) }
}

describe('createWarnOnce', () => {
  it('logs a key once, then again after the window with how often it came up meanwhile', () => {
    const { warn, lines, advance } = setUp({ repeatAfterMs: 60_000 })
    for (let i = 0; i < 5; i++) warn('a', 'refused a', { reason: 'r' })
    warn('b', 'refused b')
    expect(lines).toMatchObject([{ level: 'warn', msg: 'refused a', reason: 'r' }, { msg: 'refused b' }])
    expect(lines[0]).not.toHaveProperty('repeated')
    advance(59_999)
    warn('a', 'refused a')
    expect(lines).toHaveLength(2)
    advance(1)
    warn('a', 'refused a')
    expect(lines[2]).toMatchObject({ msg: 'refused a', repeated: 5 })
  })

  it('writes no more than its burst, then one line per interval, and says how many it held back', () => {
    const { warn, lines, advance } = setUp({ burst: 3, lineEveryMs: 1000 })
    for (let i = 0; i < 10; i++) warn(`key ${i}`, `refused ${i}`)
    expect(lines.map((l) => l.msg)).toEqual(['refused 0', 'refused 1', 'refused 2'])
    advance(1000)
    warn('key 3', 'refused 3')
    // Held back, not forgotten: key 3 gets its line once the rate allows.
    expect(lines[3]).toMatchObject({ msg: 'refused 3', notLogged: 7 })
  })

  it('remembers a bounded number of keys, forgetting the oldest first', () => {
    const { warn, lines } = setUp({ maxKeys: 2 })
    warn('a', 'a')
    warn('b', 'b')
    warn('c', 'c')
    warn('b', 'b')
    warn('a', 'a')
    expect(lines.map((l) => l.msg)).toEqual(['a', 'b', 'c', 'a'])
    expect([warn.size, warn.capacity]).toEqual([2, 2])
  })
})
