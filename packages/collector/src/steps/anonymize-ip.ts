import { isIPv4, isIPv6 } from 'node:net'

/**
 * Masks an IP address before anything is written: IPv4 keeps its first two bytes (`203.0.113.7` → `203.0.0.0`),
 * IPv6 its first 48 bits (`2001:db8:85a3::8a2e:370:7334` → `2001:db8:85a3::`), as Matomo does by default.
 * An IPv6 address that carries an IPv4 address (IPv4-mapped or -compatible, 6to4, Teredo, NAT64) is masked as that
 * IPv4 address: a /48 of `2002:c633:6401::1` would still hold all of 198.51.100.1. Anything else yields undefined:
 * it is not kept at all.
 */
export function anonymizeIp(ip: string | undefined | null, ipv4Bytes = 2, ipv6Bits = 48): string | undefined {
  if (!ip) return undefined
  if (isIPv4(ip)) return maskIpv4(ip, ipv4Bytes)
  if (!isIPv6(ip)) return undefined
  const groups = ipv6Groups(ip)
  const embedded = embeddedIpv4(groups)
  return embedded ? maskIpv4(embedded, ipv4Bytes) : maskIpv6(groups, ipv6Bits)
}

/** Zeroes the last `maskBytes` bytes. */
function maskIpv4(address: string, maskBytes: number): string {
  return address
    .split('.')
    .map((part, i) => (i < 4 - maskBytes ? part : '0'))
    .join('.')
}

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail counts as two). */
function ipv6Groups(address: string): number[] {
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address)
  let text = address
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number]
    text = address.slice(0, dotted.index) + ((a << 8) | b).toString(16) + ':' + ((c << 8) | d).toString(16)
  }
  const [head = '', tail] = text.split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const zeros = Array<string>(8 - left.length - right.length).fill('0')
  return [...left, ...zeros, ...right].map((group) => parseInt(group || '0', 16))
}

const ipv4Of = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.')

/** The IPv4 address an IPv6 address stands for, when it has one (RFC 4291, 3056, 4380 and 6052 prefixes). */
function embeddedIpv4(g: number[]): string | undefined {
  const zeroUpTo = (n: number) => g.slice(0, n).every((group) => group === 0)
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible; :: and ::1 are not addresses of anyone).
  if (zeroUpTo(5) && g[5] === 0xffff) return ipv4Of(g[6]!, g[7]!)
  if (zeroUpTo(6) && g[6] !== 0) return ipv4Of(g[6]!, g[7]!)
  // 6to4: 2002:AABB:CCDD::/48 is the site's IPv4 address AA.BB.CC.DD.
  if (g[0] === 0x2002) return ipv4Of(g[1]!, g[2]!)
  // Teredo: 2001:0::/32; the client's address is the last 32 bits, inverted.
  if (g[0] === 0x2001 && g[1] === 0) return ipv4Of(g[6]! ^ 0xffff, g[7]! ^ 0xffff)
  // NAT64: 64:ff9b::/96 carries the IPv4 address in its last 32 bits.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((group) => group === 0)) return ipv4Of(g[6]!, g[7]!)
  return undefined
}

function maskIpv6(groups: number[], keepBits: number): string {
  const masked = groups.map((group, i) => {
    const bits = Math.max(0, Math.min(16, keepBits - i * 16))
    return (group & ((0xffff << (16 - bits)) & 0xffff)).toString(16)
  })
  // Collapse the trailing zero groups the mask produced.
  let last = masked.length
  while (last > 0 && masked[last - 1] === '0') last--
  return last === 8 ? masked.join(':') : `${masked.slice(0, last).join(':')}::`
}
