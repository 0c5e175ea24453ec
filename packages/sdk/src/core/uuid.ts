/**
 * A random (version 4) UUID. `crypto.randomUUID` exists only in secure contexts, `getRandomValues` everywhere:
 * each 0, 1 or 8 of the template `10000000-1000-4000-8000-100000000000` becomes a random hex digit, the 8 keeping
 * the variant bits (8–b).
 */
export const uuid = (): string =>
  '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+c / 4)))).toString(16),
  )
