// The properties the script-tag builds shorten. Private ones start with `_`; the public contracts of the SDK (what
// a store, a transport or a plugin implements or calls) keep plain names and are listed here, since a plain name is
// shortened everywhere in the bundle: each must be one that nothing else in it (DOM, builtins, web-vitals, wire
// keys) uses, which mangled-names.test.ts checks.

/** The plain-named members of the SDK's contracts, shortened in the tags like the `_` ones. */
export const contractNames = [
  // Plugin
  'setup',
  'enrich',
  // Store
  'load',
  'write',
  // Transport and its SendResult
  'send',
  'beacon',
  'httpStatus',
  'retryAfter',
  // PluginHost and CoreTracker
  'record',
  'identity',
  'storage',
  'persist',
  'redactUrl',
  'lifetime',
  'hide',
]

/** esbuild's `mangleProps`: every `_` property and each contract name. */
export const mangleProps = new RegExp(`^(_|(${contractNames.join('|')})$)`)
