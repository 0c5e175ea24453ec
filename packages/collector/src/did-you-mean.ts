/**
 * The candidate closest to a mistyped `word` (same letters in another case, or at most two edits away, within a
 * third of its length), for a "did you mean …?" hint; undefined when none is close.
 *
 * @example
 * closest('dashbaord', ['sites', 'dashboard']) // 'dashboard'
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase()
  let best: string | undefined
  let bestDistance = Math.min(2, Math.ceil(word.length / 3)) + 1
  for (const candidate of candidates) {
    const distance = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase(), bestDistance)
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance]
  }
  return best
}

/** `hint(closest(…))`: ` (did you mean "x"?)`, or nothing. */
export const didYouMean = (candidate: string | undefined, quote = '"') =>
  candidate ? ` (did you mean ${quote}${candidate}${quote}?)` : ''

// Damerau–Levenshtein (optimal string alignment): a swap of two neighbours, the commonest typo, counts as one edit.
// Gives up past `limit`; the words compared are config keys and option names, a few dozen characters at most.
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)]
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1)
      row.push(d)
    }
    rows.push(row)
  }
  return rows[a.length]![b.length]!
}
