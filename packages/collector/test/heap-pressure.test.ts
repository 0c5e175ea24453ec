import { describe, expect, it } from 'vitest'
import { createHeapPressure, freeHeapFlag, tightHeapFlag } from '../src/steps/heap-pressure.js'
import { createInFlight } from '../src/steps/in-flight.js'

const recorder = () => {
  let clock = 0
  const flags: string[] = []
  const pressure = createHeapPressure({ calmAfterMs: 1000, now: () => clock, setFlags: (flag) => flags.push(flag) })
  return { pressure, flags, advance: (ms: number) => (clock += ms) }
}

describe('the heap under pressure', () => {
  it('is kept tight from the first refusal of the in-flight budget, and set once however many follow', () => {
    const { pressure, flags } = recorder()
    const inFlight = createInFlight(100, pressure)
    const lease = inFlight.lease()
    expect(lease.take(80)).toBe(true)
    expect(flags).toEqual([])
    expect(inFlight.lease().take(30)).toBe(false)
    expect(inFlight.lease().fits(30)).toBe(false)
    expect(pressure.tight).toBe(true)
    expect(flags).toEqual([tightHeapFlag])
  })

  it('grows freely again at the first request after a calm spell, not before', () => {
    const { pressure, flags, advance } = recorder()
    const inFlight = createInFlight(100, pressure)
    expect(inFlight.lease().take(101)).toBe(false)
    advance(600)
    expect(inFlight.lease().take(101)).toBe(false)
    advance(900)
    // 900 ms since the last refusal: still tight.
    inFlight.lease().release()
    expect(flags).toEqual([tightHeapFlag])
    advance(200)
    inFlight.lease().release()
    expect(pressure.tight).toBe(false)
    expect(flags).toEqual([tightHeapFlag, freeHeapFlag])
  })

  it('leaves the heap as it is when the runtime refuses the setting', () => {
    const pressure = createHeapPressure({
      setFlags: () => {
        throw new Error('not supported')
      },
    })
    expect(() => pressure.refused()).not.toThrow()
  })
})
