// The rule is the protocol's: the collector applies the same one to what reaches it without the SDK (pixels).
export { createRedactor } from '@spoor/protocol'
