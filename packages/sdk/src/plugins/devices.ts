import type { Plugin } from '../core/plugin.js'

interface UserAgentData {
  brands: { brand: string; version: string }[]
  mobile: boolean
  platform: string
}

/**
 * Adds `context.userAgentData` {brands, mobile, platform} from the browser's low-entropy client hints, where it
 * has them (Chromium-based browsers); screen size and density are in every event's `context.screen` already.
 *
 * @example
 * createTracker({ writeKey, endpoint, plugins: [devices()] })
 */
export const devices = (): Plugin => {
  const hints = (navigator as { userAgentData?: UserAgentData }).userAgentData
  const data = hints && { brands: hints.brands, mobile: hints.mobile, platform: hints.platform }
  return {
    name: 'devices',
    enrich(event) {
      event.context!.userAgentData = data
      return event
    },
  }
}
