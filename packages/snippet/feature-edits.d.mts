/** An edit of a source at bundle time: `[file ending, text or pattern, replacement]`. */
export type FeatureEdit = [file: string, from: string | RegExp, to: string]
/** The parts of the script-tag builds, by name, each as the edits that take its code out. */
export const features: Record<string, FeatureEdit[]>
/** A script-tag build (the full one, else the core), minified as shipped, with the parts' edits applied. */
export function buildWithout(full: boolean, list?: FeatureEdit[]): Promise<string>
