/** The SDK's version, sent as `context.library.version`. */
export const version = '0.1.0'
