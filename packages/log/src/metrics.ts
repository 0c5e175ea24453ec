/** Label values of one series, e.g. `{ status: '200' }`. Keep them few: every combination is a series. */
export type Labels = Record<string, string>

/** Counters, gauges and histograms the collector keeps about itself, rendered for Prometheus at `/metrics`. */
export interface Metrics {
  /** Adds `by` (default 1) to the counter `name` with these labels. */
  increment(name: string, by?: number, labels?: Labels): void
  /** A counter's current value (0 when never incremented). */
  get(name: string, labels?: Labels): number
  /** The counters without labels, by name (labelled series, gauges and histograms are in {@link render}). */
  snapshot(): Record<string, number>
  /** Records one observation (e.g. seconds) in the histogram `name`. */
  observe(name: string, value: number, labels?: Labels): void
  /** Declares a gauge whose value is read when metrics are rendered. */
  gauge(name: string, help: string, read: () => number): void
  /** Gives a counter or histogram its `# HELP` line. */
  describe(name: string, help: string): void
  /** The Prometheus text exposition format (version 0.0.4) of everything above. */
  render(): string
}

// Seconds, from half a millisecond (a fast fsync) to several seconds (a disk in trouble).
const defaultBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

interface Histogram {
  counts: number[]
  sum: number
  count: number
}

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
const renderLabels = (labels: Labels) =>
  Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',')

// Label sets are few (route × status, a reason, a log), and requests count themselves: each set is rendered into
// its series key once, then found by a plain join of its names and values.
const keyCacheLimit = 4096
const withLabels = (name: string, key: string) => (key ? `${name}{${key}}` : name)

/**
 * Creates the collector's metrics. Names are written without the `spoor_` prefix and the `_total` suffix of
 * counters: `increment('events_accepted')` is rendered as `spoor_events_accepted_total`.
 *
 * @param prefix - put before every name when rendered (default `spoor_`)
 * @example
 * const metrics = createMetrics()
 * metrics.increment('requests', 1, { route: '/v1/:type', status: '200' })
 * metrics.observe('fsync_seconds', 0.0012)
 * metrics.render() // → "# TYPE spoor_requests_total counter\nspoor_requests_total{route=…,status=\"200\"} 1\n…"
 */
export function createMetrics(prefix = 'spoor_'): Metrics {
  const keys = new Map<string, string>()
  const seriesKey = (labels?: Labels) => {
    if (!labels) return ''
    let raw = ''
    for (const name in labels) raw += name + '\u0000' + labels[name] + '\u0001'
    let key = keys.get(raw)
    if (key === undefined) {
      key = renderLabels(labels)
      if (keys.size < keyCacheLimit) keys.set(raw, key)
    }
    return key
  }
  const counters = new Map<string, Map<string, number>>()
  const histograms = new Map<string, Map<string, Histogram>>()
  const gauges = new Map<string, { help: string; read: () => number }>()
  const help = new Map<string, string>()

  const render = () => {
    const out: string[] = []
    for (const [name, series] of [...counters].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const full = `${prefix}${name}_total`
      if (help.has(name)) out.push(`# HELP ${full} ${help.get(name)}`)
      out.push(`# TYPE ${full} counter`)
      for (const [key, value] of series) out.push(`${withLabels(full, key)} ${value}`)
    }
    for (const [name, { help: text, read }] of gauges) {
      const full = prefix + name
      out.push(`# HELP ${full} ${text}`, `# TYPE ${full} gauge`, `${full} ${read()}`)
    }
    for (const [name, series] of histograms) {
      const full = prefix + name
      if (help.has(name)) out.push(`# HELP ${full} ${help.get(name)}`)
      out.push(`# TYPE ${full} histogram`)
      for (const [key, h] of series) {
        const sep = key ? ',' : ''
        let cumulative = 0
        defaultBuckets.forEach((bound, i) => {
          cumulative += h.counts[i]!
          out.push(`${full}_bucket{${key}${sep}le="${bound}"} ${cumulative}`)
        })
        out.push(`${full}_bucket{${key}${sep}le="+Inf"} ${h.count}`)
        out.push(`${withLabels(full + '_sum', key)} ${h.sum}`, `${withLabels(full + '_count', key)} ${h.count}`)
      }
    }
    return out.join('\n') + '\n'
  }

  return {
    increment(name, by = 1, labels) {
      let series = counters.get(name)
      if (!series) {
        series = new Map()
        counters.set(name, series)
      }
      const key = seriesKey(labels)
      series.set(key, (series.get(key) ?? 0) + by)
    },
    get: (name, labels) => counters.get(name)?.get(seriesKey(labels)) ?? 0,
    snapshot() {
      const flat: Record<string, number> = {}
      for (const [name, series] of counters) if (series.has('')) flat[name] = series.get('')!
      return flat
    },
    observe(name, value, labels) {
      let series = histograms.get(name)
      if (!series) {
        series = new Map()
        histograms.set(name, series)
      }
      const key = seriesKey(labels)
      let h = series.get(key)
      if (!h) {
        h = { counts: defaultBuckets.map(() => 0), sum: 0, count: 0 }
        series.set(key, h)
      }
      const bucket = defaultBuckets.findIndex((bound) => value <= bound)
      if (bucket >= 0) h.counts[bucket]!++
      h.sum += value
      h.count++
    },
    gauge: (name, text, read) => void gauges.set(name, { help: text, read }),
    describe: (name, text) => void help.set(name, text),
    render,
  }
}
