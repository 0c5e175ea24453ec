export { type CartDetector, type CartDetectorOptions, createCartDetector } from './cart-detector.js'
export { detectInFiles, replayFiles } from './feed-detector.js'
export { type CartWatchingSink, type CartWatchOptions, withCartDetector } from './with-cart-detector.js'
