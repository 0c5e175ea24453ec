export { type CartLimits, contentBytesPerCart, defaultCollectorCarts, sharedCartRoom } from './cart-budget.js'
export { type CartDetector, type CartDetectorOptions, createCartDetector } from './cart-detector.js'
export { derivedEvents } from './derived-lines.js'
export {
  checkpointVersion,
  checkpointVisitors,
  type DetectorCheckpoint,
  siteCheckpoint,
} from './detector-checkpoint.js'
export { detectInFiles, replayFiles } from './feed-detector.js'
export { type CartWatchingSink, type CartWatchOptions, withCartDetector } from './with-cart-detector.js'
