/** Counters the collector keeps about itself, by name. */
export interface Metrics {
  increment(name: string, by?: number): void
  get(name: string): number
  snapshot(): Record<string, number>
}

export function createMetrics(): Metrics {
  const counters = new Map<string, number>()
  return {
    increment: (name, by = 1) => void counters.set(name, (counters.get(name) ?? 0) + by),
    get: (name) => counters.get(name) ?? 0,
    snapshot: () => Object.fromEntries(counters),
  }
}
