export { createCartDetector, type CartDetector, type CartDetectorOptions } from './cart-detector.js'
export { withCartDetector, type CartWatchOptions, type CartWatchingSink } from './with-cart-detector.js'
export { detectInFiles, replayFiles } from './feed-detector.js'
