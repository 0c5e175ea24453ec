// What a collector is started with, from the packages beneath it, so that `createApp` and a sink come from one import.
export {
  createLogger,
  createMetrics,
  createNdjsonSink,
  type Durability,
  type Labels,
  type Logger,
  type Metrics,
  type NdjsonSink,
  type NdjsonSinkOptions,
  silentLogger,
} from '@spoor/log'
export { type EventSink, type SinkHealth, SinkUnavailableError, transparentGif } from '@spoor/protocol'
export { type AppOptions, type AppServices, createApp } from './app.js'
export { ConfigError, knownKeys, loadConfig, parseConfig, type SiteConfig, type SpoorConfig } from './config.js'
export { closest, didYouMean } from './did-you-mean.js'
export { type GpcPolicy, readPrivacySettings, type SitePrivacy } from './privacy-settings.js'
export { metricsToken } from './routes/metrics.js'
export { checkPixelOrigins } from './routes/pixel.js'
export { type RunningServer, type ServerOptions, startServer } from './server.js'
export { anonymizeIp } from './steps/anonymize-ip.js'
export { clientIpResolver } from './steps/client-ip.js'
export { presentsToken } from './steps/presented-token.js'
export { parseRate, type Rate } from './steps/rate-limit.js'
