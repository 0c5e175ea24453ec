import type { SiteConfig } from '@spoor/protocol'
import { type Funnel, siteFunnels } from './funnels/funnel-config.js'
import { sitePageGoals } from './site-goals.js'

/** What a site's entry in the config adds to its reports: the pages it counts as goals, and its funnels. */
export interface SiteReportSettings {
  pageGoals: string[]
  funnels: Funnel[]
}

/**
 * A site's report settings (`sites[].goals`, `sites[].funnels`), checked: the dashboard reads them once, `spoor
 * report --config` and `spoor serve` (at start, so a mistake stops it) read them from the file.
 *
 * @param at - where the site sits in the config (`sites[0]`), for the messages
 * @throws {ConfigError} naming the first goal, funnel or step that cannot be read
 */
export const siteReportSettings = (site: SiteConfig | undefined, at = 'site'): SiteReportSettings =>
  site ? { pageGoals: sitePageGoals(site, at), funnels: siteFunnels(site, at) } : { pageGoals: [], funnels: [] }
