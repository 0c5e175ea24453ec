export { campaignFrom } from './campaign-from.js'
export { claimsCollectorLibrary, collectorLibrary, collectorLibraryReason } from './collector-library.js'
export { type DashboardConfig, type DashboardShare, dashboardConfig } from './dashboard-config.js'
export { daysInMonth } from './days-in-month.js'
export type {
  BatchBody,
  CampaignContext,
  Context,
  Envelope,
  EventType,
  JsonObject,
  PageContext,
} from './envelope.js'
export { eventTypes } from './envelope.js'
export type { EventLine, RejectedLine } from './event-line.js'
export { eventLineSchema } from './event-line-schema.js'
export { type EventSink, type SinkHealth, SinkUnavailableError } from './event-sink.js'
export { gifHeaders, transparentGif } from './gif.js'
export { limits } from './limits.js'
export { type BigQueryField, bigQuerySchema } from './loaders/bigquery-schema.js'
export { clickHouseColumns, clickHouseTable, clickHouseVersionColumn } from './loaders/clickhouse-table.js'
export { fieldTable } from './loaders/field-table.js'
export { type FieldKind, schemaFields } from './loaders/schema-fields.js'
export type { MadeEvent, MadeEventOutcome, RecordEvent, RecordInBackground } from './record-event.js'
export { createRedactor, secretNames } from './redact-url.js'
export { type RedactUrl, redactCampaigns, redactUrls } from './redact-urls.js'
export { ConfigError, type SiteConfig, type SpoorConfig } from './spoor-config.js'
export { utf8Length } from './utf8-length.js'
export { type BatchVerdict, validateBatch } from './validate-batch.js'
export { type EventVerdict, readTimestamp, validateEvent } from './validate-event.js'
export { version } from './version.js'
