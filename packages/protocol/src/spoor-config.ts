/** One site: its write key and the page origins allowed to send with it. */
export interface SiteConfig {
  writeKey: string
  /** Origins such as `https://shop.example`; `*` allows any; none (the default) for a site that sends only from servers. */
  origins: string[]
  /** A name for reports and logs; the write key when absent. */
  name?: string
  /** Per-site settings of other features, each read and checked by the feature that owns it. */
  [setting: string]: unknown
}

/**
 * The config file: `{"sites": [{"writeKey": "…", "origins": ["https://shop.example"]}]}`. Each package reads and
 * checks its own section (the collector `privacy` and `metrics`, email `email`, the report `dashboard`).
 */
export interface SpoorConfig {
  sites: SiteConfig[]
  [section: string]: unknown
}

/** A config that cannot be used, with a message that says what to fix. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}
