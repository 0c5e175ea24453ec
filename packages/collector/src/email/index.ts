// The email part of @spoor/collector: instrumenting mail, reading the results back from NDJSON.
export { instrumentEmail, InstrumentError, type InstrumentOptions, type InstrumentedEmail, type InstrumentedLink } from './instrument-email.js'
export { signLink, verifyLink, type SignedFields } from './link-signature.js'
export { clickUrl, openPixelUrl, emailPaths, type ClickFields, type OpenFields } from './tracking-urls.js'
export { resolveClick, withClickId, type ClickResolution } from './resolve-click.js'
export { readEmailConfig, type EmailConfig, type MachineRange } from './email-config.js'
export { classifications, isMachine, type Classification, type Evidence } from './classification.js'
export { findMergeTags, type MergeTag } from './merge-tags.js'
