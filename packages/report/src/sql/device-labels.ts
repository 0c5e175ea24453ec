/** The label of a page view that carries no value for a dimension. */
export const notSet = '(not set)'

// Screen classes by the page's screen width in CSS pixels, as Plausible buckets them.
const screenClass = `CASE WHEN try_cast(ctx_screen_width AS DOUBLE) IS NULL THEN '${notSet}'
  WHEN try_cast(ctx_screen_width AS DOUBLE) < 576 THEN 'Mobile'
  WHEN try_cast(ctx_screen_width AS DOUBLE) < 992 THEN 'Tablet'
  WHEN try_cast(ctx_screen_width AS DOUBLE) < 1440 THEN 'Laptop' ELSE 'Desktop' END`

/**
 * SQL of a page view's label in each of the devices panel's dimensions, named as the dashboard's filters are
 * (`country=DE`, `region=Lower Saxony, DE`): the panel counts visitors by them and a filter keeps the sessions with a page view of that label,
 * so a clicked row and the view it opens speak of the same page views. Read from `pages` (or `events`).
 */
export const deviceLabels = {
  country: `coalesce(ctx_country, '${notSet}')`,
  // A region or city with its country (and a city with its region): names alone repeat across countries (Limburg,
  // Georgia) and cities within one (Springfield).
  region: `coalesce(ctx_region || ', ' || coalesce(ctx_country, '?'), '${notSet}')`,
  city: `CASE WHEN ctx_city IS NULL THEN '${notSet}' ELSE concat_ws(', ', ctx_city, ctx_region, ctx_country) END`,
  browser: `coalesce(ctx_browser, '${notSet}')`,
  os: `coalesce(ctx_os, '${notSet}')`,
  device: `coalesce(ctx_device_type, '${notSet}')`,
  screen: screenClass,
} as const

/**
 * SQL of a page view's browser or operating system with its version (`Chrome 120`, `iOS 17.4`): what the panel lists
 * instead of the names once the view is filtered to one of them, as Plausible drills down.
 */
export const versionLabels = {
  browser: `coalesce(ctx_browser || coalesce(' ' || ctx_browser_version, ''), '${notSet}')`,
  os: `coalesce(ctx_os || coalesce(' ' || ctx_os_version, ''), '${notSet}')`,
} as const

/** The filters of a version row (`browser_version=Chrome 120`), over the same labels the panel lists. */
export const versionFilters = { browser_version: versionLabels.browser, os_version: versionLabels.os } as const

/** One of the devices panel's dimensions: also the name of its filter. */
export type DeviceDimension = keyof typeof deviceLabels

/** The dimensions in the panel's order. */
export const deviceDimensions = Object.keys(deviceLabels) as DeviceDimension[]
