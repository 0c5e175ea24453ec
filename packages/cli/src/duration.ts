const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** Reads a duration such as `500ms`, `90s`, `5m`, `1h`, `2d` (a bare number is seconds) into milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(text.trim())
  if (!match) throw new Error(`"${text}" is not a duration: write 500ms, 90s, 5m, 1h or 2d`)
  return Math.round(Number(match[1]) * units[match[2] ?? 's']!)
}

const sizeUnits: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }

/** Reads a size such as `64MB`, `512KB` or `1048576` into bytes. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(text.trim())
  if (!match) throw new Error(`"${text}" is not a size: write 512KB, 64MB or a number of bytes`)
  return Math.round(Number(match[1]) * sizeUnits[(match[2] ?? 'b').toLowerCase()]!)
}
