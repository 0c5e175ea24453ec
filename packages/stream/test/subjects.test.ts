import { describe, expect, it } from 'vitest'
import { parseWorker, workerPartitions } from '../src/cart-worker-partitions.js'
import { parseServers } from '../src/connect-stream.js'
import { eventSubject, messageKey, partitionOf, partitions, rejectedSubject, siteToken } from '../src/subjects.js'

describe('subjects', () => {
  it('makes a write key one subject token that no other key shares', () => {
    expect(siteToken('shop-key_1')).toBe('shop-key_1')
    // A dot would add a token, * and > would match other sites' subjects, a space would break the protocol.
    expect(siteToken('a.b*c>d e')).toBe('a%2Eb%2Ac%3Ed%20e')
    expect(siteToken('%2E')).toBe('%252E')
    expect(siteToken('é')).toBe('%C3%A9')
    expect(siteToken('a.b')).not.toBe(siteToken('a%2Eb'))
  })

  it('keeps one visitor on one partition, and spreads visitors over all of them', () => {
    expect(partitionOf('visitor-1')).toBe(partitionOf('visitor-1'))
    const seen = new Set(Array.from({ length: 1000 }, (_, i) => partitionOf(`visitor-${i}`)))
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: partitions }, (_, p) => p))
    expect(eventSubject('shop.key', 'visitor-1')).toBe(`spoor.events.shop%2Ekey.${partitionOf('visitor-1')}`)
    expect(rejectedSubject(null)).toBe('spoor.rejected._')
    expect(messageKey('shop.key', 'm-1')).toBe('shop%2Ekey:m-1')
  })
})

describe('cart workers', () => {
  it('give every partition to exactly one worker', () => {
    for (const workers of [1, 2, 3, 5, 16]) {
      const all = Array.from({ length: workers }, (_, i) => workerPartitions(i + 1, workers))
        .flat()
        .sort((a, b) => a - b)
      expect(all).toEqual(Array.from({ length: partitions }, (_, p) => p))
    }
  })

  it('refuse a worker number that names no share, readably', () => {
    expect(parseWorker('2/3')).toEqual({ worker: 2, workers: 3 })
    expect(() => parseWorker('3/2')).toThrow('a worker is numbered 1 to 2')
    expect(() => parseWorker('1/17')).toThrow('the number of workers is 1 to 16')
    expect(() => parseWorker('first')).toThrow('"first" is not I/N')
  })
})

describe('--stream', () => {
  it('takes a list of server URLs and refuses anything else, naming it', () => {
    expect(parseServers('nats://a:4222, nats://b:4222')).toEqual(['nats://a:4222', 'nats://b:4222'])
    expect(() => parseServers('')).toThrow('give the stream servers')
    expect(() => parseServers('http://a:4222/x')).toThrow('"http://a:4222/x" is not a server URL')
  })
})
