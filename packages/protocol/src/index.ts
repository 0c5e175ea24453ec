export { limits } from './limits.js'
export { eventTypes } from './envelope.js'
export type {
  BatchBody, CampaignContext, Context, Envelope, EventType, JsonObject, PageContext,
} from './envelope.js'
export type { EventLine, RejectedLine } from './event-line.js'
export { eventLineSchema } from './event-line-schema.js'
export { validateEvent, type EventVerdict } from './validate-event.js'
export { validateBatch, type BatchVerdict } from './validate-batch.js'
export { utf8Length } from './utf8-length.js'
export { createRedactor, secretNames } from './redact-url.js'
export { campaignFrom } from './campaign-from.js'
