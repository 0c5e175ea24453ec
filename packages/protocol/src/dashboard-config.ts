import { ConfigError, type SpoorConfig } from './spoor-config.js'

/** A link to one site's dashboard, with a token of its own: what a site owner gives a client or a colleague. */
export interface DashboardShare {
  token: string
  /** The write key of the one site this token shows. */
  site: string
}

/** The config's `dashboard` section: `{"dashboard": {"token": "a long random secret"}}`. */
export interface DashboardConfig {
  token: string
  /** Tokens that each show one site's dashboard only (`"shares": [{"token": "…", "site": "KEY"}]`). */
  shares: DashboardShare[]
}

const mostShares = 50
const tokenHint = 'a string of 24 or more characters (try: openssl rand -hex 24)'

/** The `shares` of the dashboard section, checked: each a token of its own and one of the config's sites. */
function readShares(config: SpoorConfig, shares: unknown, token: string): DashboardShare[] {
  if (shares === undefined) return []
  const example = '[{"token": "…", "site": "my-site-key"}]'
  if (!Array.isArray(shares)) throw new ConfigError(`dashboard.shares must be a list like ${example}`)
  if (shares.length > mostShares) {
    throw new ConfigError(`dashboard.shares: ${shares.length} shares: ${mostShares} at most`)
  }
  const tokens = new Set([token])
  return shares.map((share, i) => {
    const {
      token: own,
      site,
      ...rest
    } = (typeof share === 'object' && share !== null ? share : {}) as Record<string, unknown>
    const unknown = Object.keys(rest)[0]
    if (unknown !== undefined)
      throw new ConfigError(`dashboard.shares[${i}]: unknown key "${unknown}"; known: token, site`)
    if (typeof own !== 'string' || own.length < 24)
      throw new ConfigError(`dashboard.shares[${i}].token must be ${tokenHint}`)
    if (tokens.has(own)) throw new ConfigError(`dashboard.shares[${i}].token is used twice: each share needs its own`)
    tokens.add(own)
    if (typeof site !== 'string' || !config.sites.some((s) => s.writeKey === site)) {
      throw new ConfigError(`dashboard.shares[${i}].site must be the writeKey of one of the config's sites`)
    }
    return { token: own, site }
  })
}

/**
 * Reads the `dashboard` section of the config; undefined when there is none (the dashboard is then off). A token
 * shorter than 24 characters is refused: it is all that stands between the internet and every visitor's data. A
 * share's token shows its one site, and nothing else the main token opens (the metrics among them).
 */
export function dashboardConfig(config: SpoorConfig): DashboardConfig | undefined {
  const section = config.dashboard
  if (section === undefined) return undefined
  if (typeof section !== 'object' || section === null || Array.isArray(section)) {
    throw new ConfigError('"dashboard" must be an object: {"dashboard": {"token": "…"}}')
  }
  const { token, shares } = section as Record<string, unknown>
  if (typeof token !== 'string' || token.length < 24) throw new ConfigError(`dashboard.token must be ${tokenHint}`)
  return { token, shares: readShares(config, shares, token) }
}
