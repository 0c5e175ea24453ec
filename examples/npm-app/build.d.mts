/** Builds `public/app.js` and resolves to its raw, gzip and brotli bytes. */
export function buildApp(options?: { conditions?: string[] }): Promise<{ raw: number; gzip: number; brotli: number }>
