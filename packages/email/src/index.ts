export {
  type CampaignHour,
  type CampaignStats,
  type CampaignStatsOptions,
  campaignStats,
  type Tally,
} from './campaign-stats.js'
export { type Classification, classifications, type Evidence, isMachine } from './classification.js'
export { classify } from './classify.js'
export {
  attributeConversions,
  type Conversion,
  type ConversionMatch,
  type ConversionOptions,
  clickIdOf,
} from './conversions.js'
export { type EmailConfig, type MachineRange, readEmailConfig } from './email-config.js'
export { type EmailRoutesOptions, emailRoutes } from './email-routes.js'
export { filledQuery } from './filled-query.js'
export { gmailClipBytes, type InstrumentedEmail, instrumentEmail } from './instrument-email.js'
export { InstrumentError, type InstrumentedLink, type InstrumentOptions } from './instrument-options.js'
export { type InstrumentedText, instrumentText } from './instrument-text.js'
export {
  type SignedFields,
  type SignedOpenFields,
  signLink,
  signOpen,
  verifyLink,
  verifyOpen,
} from './link-signature.js'
export { findMergeTags, type MergeTag } from './merge-tags.js'
export { createMessageMemory, type MessageMemory } from './message-memory.js'
export { readEventLines } from './read-events.js'
export { type ClickResolution, resolveClick, withClickId } from './resolve-click.js'
export { type ClickFields, clickUrl, emailPaths, type OpenFields, openPixelUrl } from './tracking-urls.js'
