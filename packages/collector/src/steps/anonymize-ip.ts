import { isIPv4, isIPv6 } from 'node:net'

/**
 * Masks an IP address before anything is written: IPv4 keeps its first two bytes (`203.0.113.7` → `203.0.0.0`),
 * IPv6 its first 48 bits (`2001:db8:85a3::8a2e:370:7334` → `2001:db8:85a3::`), as Matomo does by default.
 * IPv4-mapped IPv6 addresses are treated as IPv4. Anything else yields undefined: it is not kept at all.
 */
export function anonymizeIp(ip: string | undefined | null, ipv4Bytes = 2, ipv6Bits = 48): string | undefined {
  if (!ip) return undefined
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  const address = mapped ? mapped[1]! : ip
  if (isIPv4(address)) {
    const parts = address.split('.')
    return parts.map((part, i) => (i < 4 - ipv4Bytes ? part : '0')).join('.')
  }
  if (isIPv6(address)) return maskIpv6(address, ipv6Bits)
  return undefined
}

function maskIpv6(address: string, keepBits: number): string {
  const [head = '', tail = ''] = address.split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
  const masked = groups.map((group, i) => {
    const bits = Math.max(0, Math.min(16, keepBits - i * 16))
    const value = parseInt(group || '0', 16) & ((0xffff << (16 - bits)) & 0xffff)
    return value.toString(16)
  })
  // Collapse the trailing zero groups the mask produced.
  let last = masked.length
  while (last > 0 && masked[last - 1] === '0') last--
  return last === 8 ? masked.join(':') : `${masked.slice(0, last).join(':')}::`
}
