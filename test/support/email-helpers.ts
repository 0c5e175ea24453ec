import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { type AppOptions, parseConfig } from '@spoor/collector'
import { clickUrl, emailRoutes, openPixelUrl } from '@spoor/email'
import { decodeHTMLAttribute } from 'entities/decode'
import { origin, testApp, writeKey } from './helpers.js'

export const exampleDir = fileURLToPath(new URL('../../examples/email/', import.meta.url))
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

/** A collector app with the email routes mounted, whose config signs links with `signingKey` and still accepts `oldKey`. */
export async function emailApp(options: Partial<AppOptions> = {}, email: Record<string, unknown> = {}) {
  const config = parseConfig({
    // The tests' shop, and the example email's (its links lead to http://localhost:8787).
    sites: [{ writeKey, origins: [origin, 'http://localhost:8787'] }],
    email: { signingKeys: [signingKey, oldKey], ...email },
  })
  return testApp({
    config,
    ...options,
    routes: [(services) => emailRoutes({ config, ...services }), ...(options.routes ?? [])],
  })
}

/** A tracked link of the test site, filled in for `recipient`, as a path for `app.request()`. */
export function trackedLink(url: string, { recipient = 'r-1', linkId = '1', key = signingKey } = {}) {
  return pathOf(
    clickUrl('https://t.example.com', { writeKey, campaignId: 'spring', emailId: 'e1', linkId, url, recipient }, key),
  )
}

export const chromeUserAgent =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

/** A signed open pixel of the test site (recipient null: none), as a path for `app.request()`. */
export function pixelPath({
  campaign = 'spring',
  recipient = 'r-1' as string | null,
  emailId = 'e1',
  subject = undefined as string | undefined,
  key = signingKey,
  site = writeKey,
} = {}) {
  return pathOf(
    openPixelUrl(
      'https://t.example.com',
      { writeKey: site, campaignId: campaign, emailId, recipient: recipient ?? undefined, subject },
      key,
    ),
  )
}
