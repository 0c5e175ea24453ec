/** spoor's version, sent as `context.library.version` on the events spoor writes itself (pixels, email, carts). */
export const version = '0.1.0'
