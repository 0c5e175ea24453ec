import { describe, expect, it } from 'vitest'
import { partitionOf } from '../src/partition.js'

describe('partitionOf', () => {
  it('names the UTC day and hour of an arrival, also when the hour changes between calls', () => {
    expect(partitionOf(new Date('2026-11-23T19:59:59.999Z'))).toBe('dt=2026-11-23/hour=19')
    expect(partitionOf(new Date('2026-11-23T19:00:00.000Z'))).toBe('dt=2026-11-23/hour=19')
    expect(partitionOf(new Date('2026-11-23T20:00:00.000Z'))).toBe('dt=2026-11-23/hour=20')
    expect(partitionOf(new Date('2026-11-23T23:30:00+01:00'))).toBe('dt=2026-11-23/hour=22')
    expect(partitionOf(new Date('2026-11-24T00:00:00.000Z'))).toBe('dt=2026-11-24/hour=00')
    expect(partitionOf(new Date('2026-11-23T19:15:00.000Z'))).toBe('dt=2026-11-23/hour=19')
  })
})
