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
export const devices = (): Plugin => ({
  name: 'devices',
  enrich(event) {
    // Read per event, not as the plugin is made: an app's module makes its plugins on the server too.
    const hints = (navigator as { userAgentData?: UserAgentData }).userAgentData
    event.context!.userAgentData = hints && { brands: hints.brands, mobile: hints.mobile, platform: hints.platform }
    return event
  },
})
