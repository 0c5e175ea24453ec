/** The files of `dist/`: the core tag, the full tag, and the NPS prompt that the full tag loads when needed. */
export const builds: { file: string; entry: string; full: boolean }[]
/** Raw, gzip (level 9) and brotli (quality 11, as the collector serves it) bytes of a file. */
export function sizeOf(path: string): { raw: number; gzip: number; brotli: number }
/** Builds every file of `dist/` unless nothing it reads or writes changed (`force` builds anyway); resolves to the path of `spoor.js`. */
export function buildSnippet(options?: { force?: boolean }): Promise<string>
/** The esbuild options of one build (everything but where its code goes). */
export function esbuildOptions(entry: string, full: boolean): object
/** The terser pass over a bundle. */
export function compress(code: string): Promise<string>
