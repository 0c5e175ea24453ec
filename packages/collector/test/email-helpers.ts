import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { decodeHTMLAttribute } from 'entities/decode'

export const exampleDir = fileURLToPath(new URL('../../../examples/email/', import.meta.url))
export const signingKey = 'test-signing-key-0123456789abcdefghijkl'
export const oldKey = 'old-signing-key-0123456789abcdefghijklm'

/** The example campaign email, as a sender wrote it. */
export const exampleEmail = () => readFile(exampleDir + 'campaign.html', 'utf8')

/** Plays the sending service: fills in one recipient's merge tags. */
export function fillIn(html: string, values: Record<string, string>): string {
  return html.replace(/\{\{(\w+)\}\}|\*\|(\w+)\|\*|%recipient\.(\w+)%/g, (tag, a, b, c) => values[a ?? b ?? c] ?? tag)
}

/** The URLs of the attributes `name` (href, src) in the HTML, as a mail client reads them (entities decoded). */
export function attributeUrls(html: string, name: 'href' | 'src'): string[] {
  const pattern = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'gi')
  return [...html.matchAll(pattern)].map((m) => decodeHTMLAttribute(m[2] ?? m[3] ?? ''))
}

/** A path and query for `app.request()`, from a full URL. */
export const pathOf = (url: string) => {
  const parsed = new URL(url)
  return parsed.pathname + parsed.search
}
