/** Bytes of `text` as UTF-8: what it weighs in a request body. */
export const byteLength = (text: string): number => new TextEncoder().encode(text).length
