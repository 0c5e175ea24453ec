import { checkPixelOrigins, loadConfig, metricsToken, readPrivacySettings } from '@spoor/collector'
import { readEmailConfig } from '@spoor/email'
import { ConfigError, dashboardConfig, type SpoorConfig } from '@spoor/protocol'
import { siteReportSettings } from '@spoor/report'

/**
 * Loads a config file and checks every section the collector reads, before anything else starts: a mistake in any
 * of them ends the start in one line naming the file, before the data folder is touched.
 */
export async function loadCheckedConfig(path: string): Promise<SpoorConfig> {
  const config = await loadConfig(path)
  try {
    readPrivacySettings(config)
    readEmailConfig(config, path)
    dashboardConfig(config)
    for (const [i, site] of config.sites.entries()) siteReportSettings(site, `sites[${i}]`)
    metricsToken(config)
    checkPixelOrigins(config.sites)
  } catch (error) {
    if (error instanceof ConfigError && !error.message.startsWith(path))
      throw new ConfigError(`${path}: ${error.message}`)
    throw error
  }
  return config
}
