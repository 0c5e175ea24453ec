/**
 * A random (version 4) UUID. `crypto.randomUUID` exists only in secure contexts, `getRandomValues` everywhere:
 * each hex digit of the template is replaced by a random one, the version (4) and variant (8–b) digits kept right.
 */
export function uuid(): string {
  const random = crypto.getRandomValues(new Uint8Array(32))
  let i = 0
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) =>
    (c === 'x' ? random[i++]! & 15 : (random[i++]! & 3) | 8).toString(16),
  )
}
