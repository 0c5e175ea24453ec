import { redactUrls } from '@spoor/protocol'
import type { Plugin } from '../core/plugin.js'
import { createRedactor } from '../core/redact.js'

/**
 * Redacts every URL of each event in the browser, with the collector's rule and fields (`redactUrls`): secret and
 * personal parameter values become `redacted`. Added first by the npm SDK's `createTracker`, so the plugins after
 * it (a campaign read from the page's query) see the redacted URLs.
 *
 * @param names more parameter names to redact, besides email, token, password, …
 */
export const redaction = (names?: string[]): Plugin => {
  const redact = createRedactor(names)
  return {
    name: 'redaction',
    enrich: (event) => {
      // The properties are the caller's object: redacted in a copy. The rest of the event is the tracker's own.
      if (event.properties) event.properties = { ...event.properties }
      redactUrls(event, redact)
      return event
    },
  }
}
