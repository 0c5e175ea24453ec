/**
 * A random (version 4) UUID. `crypto.randomUUID` (one call) exists only in secure contexts, `getRandomValues`
 * everywhere: there each 0, 1 or 8 of the template `10000000-1000-4000-8000-100000000000` becomes a random hex
 * digit, the 8 keeping the variant bits (8–b), at the cost of a call per digit.
 */
export const uuid = (): string =>
  crypto.randomUUID?.() ??
  '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+c / 4)))).toString(16),
  )
