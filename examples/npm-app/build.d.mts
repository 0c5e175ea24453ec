/** Builds `public/app.js` (or `outfile`) and resolves to its raw, gzip and brotli bytes. */
export function buildApp(options?: {
  conditions?: string[]
  outfile?: string
}): Promise<{ raw: number; gzip: number; brotli: number }>
