/** The gridlines of a count axis: a step of 1, 2 or 5 × 10ⁿ, and the lines from 0 to the first multiple ≥ the max. */
export interface Ticks {
  step: number
  /** The axis' top: the last tick. */
  top: number
  /** Every tick value, from 0 up to `top`. */
  values: number[]
}

/**
 * Ticks for a count axis whose every label is the exact value at its line: the smallest step of 1, 2 or 5 × 10ⁿ
 * (never under 1, counts are whole) that reaches `max` in at most `maxLines` intervals.
 *
 * @param max - the largest value drawn (0 or less draws an axis of one step)
 * @param maxLines - intervals at most (default 5)
 * @example
 * niceTicks(7) // → { step: 2, top: 8, values: [0, 2, 4, 6, 8] }
 */
export function niceTicks(max: number, maxLines = 5): Ticks {
  const need = Math.max(max, 1)
  let step = 1
  for (let magnitude = 1; ; magnitude *= 10) {
    const found = [1, 2, 5].map((m) => m * magnitude).find((s) => Math.ceil(need / s) <= maxLines)
    if (found) {
      step = found
      break
    }
  }
  const top = Math.ceil(need / step) * step
  const values = Array.from({ length: top / step + 1 }, (_, i) => i * step)
  return { step, top, values }
}
