import type { Metric } from 'web-vitals'
import type { Plugin } from '../core/plugin.js'

// Each observer reports its own metric type; any of them fits `M`'s shape.
// biome-ignore lint/suspicious/noExplicitAny: web-vitals types each observer's callback with its own metric, which no one type covers
type OnMetric<M extends Metric> = (report: (metric: M & any) => void) => void

/**
 * The plugin behind `webVitals()` and `webVitalsAttribution()`: each metric web-vitals reports (again when the
 * page is hidden, and after a bfcache restore) becomes a `Web Vital` event; downstream keeps the latest per `id`.
 */
export function reportVitals<M extends Metric>(
  observers: OnMetric<M>[],
  extra: (metric: M) => object = () => ({}),
): Plugin {
  return {
    name: 'web-vitals',
    setup(tracker) {
      for (const observe of observers) {
        observe((metric) =>
          tracker.track('Web Vital', {
            name: metric.name,
            value: metric.value,
            delta: metric.delta,
            rating: metric.rating,
            id: metric.id,
            navigation_type: metric.navigationType,
            ...extra(metric),
          }),
        )
      }
    },
  }
}
