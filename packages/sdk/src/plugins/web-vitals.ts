import { onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals'
import type { Plugin } from '../core/plugin.js'
import { reportVitals } from './report-vitals.js'

/**
 * Core Web Vitals with the `web-vitals` package: LCP, INP, CLS, FCP and TTFB as `Web Vital` events {name, value,
 * delta, rating, id, navigation_type}, through the queue; those final only when the page is hidden leave with it.
 * For the attribution build (~1.5 KB brotli more), use `webVitalsAttribution` from `@spoor/sdk/web-vitals-attribution`.
 *
 * @example
 * createTracker({ writeKey, endpoint, plugins: [webVitals()] })
 */
export const webVitals = (): Plugin => reportVitals([onCLS, onFCP, onINP, onLCP, onTTFB])
