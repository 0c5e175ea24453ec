import { ConfigError, type SpoorConfig } from './spoor-config.js'

/** The config's `dashboard` section: `{"dashboard": {"token": "a long random secret"}}`. */
export interface DashboardConfig {
  token: string
}

/**
 * Reads the `dashboard` section of the config; undefined when there is none (the dashboard is then off). A token
 * shorter than 24 characters is refused: it is all that stands between the internet and every visitor's data.
 */
export function dashboardConfig(config: SpoorConfig): DashboardConfig | undefined {
  const section = config.dashboard
  if (section === undefined) return undefined
  if (typeof section !== 'object' || section === null || Array.isArray(section)) {
    throw new ConfigError('"dashboard" must be an object: {"dashboard": {"token": "…"}}')
  }
  const { token } = section as Record<string, unknown>
  if (typeof token !== 'string' || token.length < 24) {
    throw new ConfigError('dashboard.token must be a string of 24 or more characters (try: openssl rand -hex 24)')
  }
  return { token }
}
