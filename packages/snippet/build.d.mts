/** Builds `dist/spoor.js`; resolves to its path. */
export function buildSnippet(): Promise<string>
