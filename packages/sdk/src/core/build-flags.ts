// Set by the snippet's build (esbuild `define`); undeclared anywhere else, hence the typeof.
declare const SPOOR_SNIPPET: boolean

/**
 * True only in the script-tag builds. A tag has no way to pass the tuning options of `@spoor/sdk` (queue caps, batch
 * sizes, intervals) nor any use for `destroy()`, so there each such option is its default (written
 * `inSnippet ? default : value ?? default`) and the code reading it falls out, as does `destroy()`.
 */
export const inSnippet: boolean = typeof SPOOR_SNIPPET === 'boolean' && SPOOR_SNIPPET
