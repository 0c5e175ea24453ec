import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runSpoor } from './run-cli.js'

const template = fileURLToPath(new URL('../../examples/email/campaign.html', import.meta.url))

/** The example email, instrumented once, as a mail service holds it: `fill` makes one recipient's copy. */
export interface ExampleEmail {
  campaign: string
  /** The HTML one recipient receives: the service's merge tags filled in. */
  fill(recipient: string, firstName: string): string
}

/**
 * Instruments `examples/email/campaign.html` with `spoor email instrument`, as a sender does, for a collector at
 * `base`: the template's shop links (written for `npm start`, http://localhost:8787) point at that collector first.
 */
export async function instrumentExampleEmail(options: {
  base: string
  config: string
  dir: string
  campaign: string
}): Promise<ExampleEmail> {
  const source = join(options.dir, 'campaign.html')
  await writeFile(source, (await readFile(template, 'utf8')).replaceAll('http://localhost:8787', options.base))
  const run = await runSpoor([
    'email',
    'instrument',
    source,
    '--campaign',
    options.campaign,
    '--write-key',
    'demo-shop-key',
    '--base',
    options.base,
    '--recipient',
    '{{id}}',
    '--email-id',
    `${options.campaign}-1`,
    '--config',
    options.config,
  ])
  if (run.code !== 0) throw new Error(`spoor email instrument failed: ${run.stderr}`)
  const html = run.stdout
  return {
    campaign: options.campaign,
    fill: (recipient, firstName) =>
      html
        .replaceAll('{{id}}', recipient)
        .replaceAll('{{first_name}}', firstName)
        .replaceAll('*|COUPON|*', 'SPRING20')
        .replaceAll('{{preferences_url}}', `${options.base}/account.html`),
  }
}

const unescapeAmp = (url: string) => url.replaceAll('&amp;', '&')

/** The open pixel of a recipient's copy. */
export function pixelOf(html: string): string {
  return unescapeAmp(/<img src="([^"]*\/email\/o\.gif\?[^"]*)"/.exec(html)![1]!)
}

/** The tracked address of a recipient's copy whose link id is `linkId` (`l=`; links are numbered by destination). */
export function trackedLink(html: string, linkId: string): string {
  const links = [...html.matchAll(/href="([^"]*\/email\/c\?[^"]*)"/g)].map((m) => unescapeAmp(m[1]!))
  const link = links.find((url) => new URL(url).searchParams.get('l') === linkId)
  if (!link) throw new Error(`no tracked link ${linkId} in the mail`)
  return link
}

/**
 * A request as a machine makes it (an image proxy, a mail security gateway): no cookie, its own user agent, and
 * never following the click route's redirect.
 */
export async function fetchAs(
  url: string,
  { method = 'GET', userAgent }: { method?: 'GET' | 'HEAD'; userAgent: string },
): Promise<number> {
  const response = await fetch(url, { method, headers: { 'user-agent': userAgent }, redirect: 'manual' })
  await response.arrayBuffer()
  return response.status
}
