import { type MetricWithAttribution, onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals/attribution'
import type { Plugin } from '../core/plugin.js'
import { reportVitals } from './report-vitals.js'

/**
 * {@link webVitals} with web-vitals' attribution: each event also carries `attribution`, the metric's diagnostic
 * fields that are plain values (the element, the slowest phase, …); performance entries are left out.
 *
 * @example
 * import { webVitalsAttribution } from '@spoor/sdk/web-vitals-attribution'
 * createTracker({ writeKey, endpoint, plugins: [webVitalsAttribution()] })
 */
export const webVitalsAttribution = (): Plugin =>
  reportVitals<MetricWithAttribution>([onCLS, onFCP, onINP, onLCP, onTTFB], (metric) => ({
    attribution: Object.fromEntries(
      Object.entries(metric.attribution).filter(([, value]) => typeof value !== 'object'),
    ),
  }))
