/** The collector's version, sent as `context.library.version` on the events it writes itself. */
export const version = '0.1.0'
