import type { SiteConfig } from '@spoor/protocol'
import { type Funnel, siteFunnels } from './funnels/funnel-config.js'
import { sitePageGoals } from './site-goals.js'
import { type Segment, siteSegments } from './site-segments.js'

/** What a site's entry in the config adds to its reports: the pages it counts as goals, its funnels and segments. */
export interface SiteReportSettings {
  pageGoals: string[]
  funnels: Funnel[]
  segments: Segment[]
}

/**
 * A site's report settings (`sites[].goals`, `sites[].funnels`, `sites[].segments`), checked: the dashboard reads them once, `spoor
 * report --config` and `spoor serve` (at start, so a mistake stops it) read them from the file.
 *
 * @param at - where the site sits in the config (`sites[0]`), for the messages
 * @throws {ConfigError} naming the first goal, funnel or step that cannot be read
 */
export const siteReportSettings = (site: SiteConfig | undefined, at = 'site'): SiteReportSettings =>
  site
    ? { pageGoals: sitePageGoals(site, at), funnels: siteFunnels(site, at), segments: siteSegments(site, at) }
    : { pageGoals: [], funnels: [], segments: [] }
