import { describe, expect, it } from 'vitest'
import { anonymizeIp } from '../../src/index.js'

const hex = (a: number, b: number) => ((a << 8) | b).toString(16)
// Every way an IPv6 address can carry an IPv4 one, and a plain IPv4 address.
const forms: Record<string, (v4: number[]) => string> = {
  ipv4: ([a, b, c, d]) => `${a}.${b}.${c}.${d}`,
  'ipv4-mapped, dotted': ([a, b, c, d]) => `::ffff:${a}.${b}.${c}.${d}`,
  'ipv4-mapped, hex': ([a, b, c, d]) => `::ffff:${hex(a!, b!)}:${hex(c!, d!)}`,
  'ipv4-compatible': ([a, b, c, d]) => `::${a}.${b}.${c}.${d}`,
  '6to4': ([a, b, c, d]) => `2002:${hex(a!, b!)}:${hex(c!, d!)}::1`,
  '6to4, full': ([a, b, c, d]) => `2002:${hex(a!, b!)}:${hex(c!, d!)}:1:2:3:4:5`,
  teredo: ([a, b, c, d]) => `2001:0:4136:e378:8000:63bf:${hex(a! ^ 0xff, b! ^ 0xff)}:${hex(c! ^ 0xff, d! ^ 0xff)}`,
  nat64: ([a, b, c, d]) => `64:ff9b::${hex(a!, b!)}:${hex(c!, d!)}`,
}

describe('IP masking keeps no more than the masked IPv4 address, whatever IPv6 form carries it', () => {
  for (const [name, form] of Object.entries(forms)) {
    it(name, () => {
      for (let round = 0; round < 200; round++) {
        const v4 = Array.from({ length: 4 }, () => 1 + Math.floor(Math.random() * 254))
        const masked = anonymizeIp(form(v4))
        expect(masked).toBe(`${v4[0]}.${v4[1]}.0.0`)
      }
    })
  }

  it('masks 198.51.100.1 carried by 6to4 and Teredo', () => {
    expect(anonymizeIp('2002:c633:6401::1')).toBe('198.51.0.0')
    expect(anonymizeIp('2001:0:4136:e378:8000:63bf:39cc:9bfe')).toBe('198.51.0.0')
  })

  it('keeps the first 48 bits of a native IPv6 address, and nothing of what is not an address', () => {
    expect(anonymizeIp('2001:db8:85a3::8a2e:370:7334')).toBe('2001:db8:85a3::')
    expect(anonymizeIp('2a00:1450:4001:82b::200e')).toBe('2a00:1450:4001::')
    expect(anonymizeIp('::1')).toBe('::')
    expect(anonymizeIp('garbage')).toBeUndefined()
    expect(anonymizeIp('203.0.113.7', 1)).toBe('203.0.113.0')
  })
})
