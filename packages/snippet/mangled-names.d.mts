/** The plain-named members of the SDK's contracts, shortened in the tags like the `_` ones. */
export const contractNames: string[]
/** esbuild's `mangleProps`: every `_` property and each contract name. */
export const mangleProps: RegExp
