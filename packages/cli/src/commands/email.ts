import { randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { loadConfig } from '@spoor/collector'
import {
  campaignStats,
  InstrumentError,
  type InstrumentedLink,
  instrumentEmail,
  instrumentText,
  readEmailConfig,
  readEventLines,
} from '@spoor/email'
import { renderEmailReport } from '@spoor/report'
import { parseDuration } from '../duration.js'
import { type Command, readOption, UsageError } from './command.js'

const usage = `spoor email — tracked email: an open pixel, signed click links, honest counts

The whole flow:
  spoor email key                        # into spoor.config.json: {"sites": [{"writeKey": "KEY"}], "email": {"signingKeys": ["<key>"]}}
  spoor email instrument campaign.html --campaign spring-sale --write-key KEY --base https://t.example.com --recipient '{{id}}' > out.html
  # send out.html with your mail service: it fills in {{id}} per recipient after spoor signed the links
  spoor serve --config spoor.config.json # counts opens at /email/o.gif, clicks at /email/c (302 to the signed link)
  spoor email report --data ./data > report.html   # subject, open and click rates, timeline, links, orders; machines split out

Commands:
  key                   print a new random signing key (256 bits)
  instrument FILE       add the open pixel and sign every http(s) link of an HTML email (FILE "-": stdin)
    --campaign ID         the campaign (required)
    --write-key KEY       the site the opens and clicks belong to (required)
    --base URL            the collector's public address (required)
    --recipient TEXT      the recipient id, usually your service's merge tag: '{{id}}', '*|UNIQID|*',
                          '%%_subscriberkey%%', '%recipient.id%'
    --email-id ID         this email within the campaign (default: a hash of the HTML)
    --text                FILE is the plain-text part: sign its bare http(s) links (no pixel: text has none)
    --skip URL            leave alone the links whose destination starts with URL, as data-spoor-skip
                          does in HTML; the way to mark a link in a plain-text part (repeatable)
    --subject TEXT        the subject line the report shows (default: the HTML's <title>, unless it
                          stands for the subject your service fills in, such as *|MC:SUBJECT|*)
    --config FILE         the signing keys, first one signs (env SPOOR_CONFIG; default ./spoor.config.json)
    --out FILE            write the HTML there instead of to stdout
  report                the sender's page from the NDJSON files, as HTML
    --data DIR            the collector's data folder (env SPOOR_DATA_DIR; default ./data)
    --write-key KEY       only this site's events
    --window TIME         how long after a click an order still counts for it (default 7d)
    --json                the numbers as JSON instead of a page
    --out FILE            write there instead of to stdout

mailto:, tel:, anchors, relative links (but for those an absolute <base href> resolves), links marked
data-spoor-skip or --skip, unsubscribe and list-management links (a path saying unsubscribe, opt-out,
preferences), links already tracked and links holding template logic ({% if %}, {{#if}}, *|IF:|*) are left
alone; merge tags stay byte for byte. The signature covers the site, campaign, email, link and
destination as written; the recipient id and merge-tag values are filled in later, percent-encoded into the
destination's path or query, so they can change what is recorded, never where a link leads.`

async function output(text: string, out: string | undefined) {
  if (out) await writeFile(out, text)
  else process.stdout.write(text)
}

async function key(): Promise<number> {
  console.log(randomBytes(32).toString('base64url'))
  console.error(
    'Add it to spoor.config.json, beside your sites: {"sites": [{"writeKey": "KEY"}], "email": {"signingKeys": ["<this key>"]}}. To rotate, put a new key first and keep the old ones after it.',
  )
  return 0
}

async function instrument(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      campaign: { type: 'string' },
      'write-key': { type: 'string' },
      base: { type: 'string' },
      recipient: { type: 'string' },
      'email-id': { type: 'string' },
      subject: { type: 'string' },
      text: { type: 'boolean' },
      skip: { type: 'string', multiple: true },
      config: { type: 'string' },
      out: { type: 'string' },
    },
  })
  const [file, extra] = positionals
  if (!file || extra !== undefined) throw new UsageError('name one HTML file to instrument ("-" reads stdin)')
  if (values.text && values.subject !== undefined)
    throw new UsageError('--subject travels in the open pixel, which a plain-text part (--text) has none of')
  for (const name of ['campaign', 'write-key', 'base'] as const)
    if (!values[name]) throw new UsageError(`--${name} is required`)
  const configPath = values.config ?? process.env.SPOOR_CONFIG ?? 'spoor.config.json'
  const config = await loadConfig(configPath)
  const { signingKeys } = readEmailConfig(config, configPath)
  if (!signingKeys[0]) {
    throw new UsageError(
      `${configPath} has no signing key: run "spoor email key" and add {"email": {"signingKeys": ["<key>"]}}`,
    )
  }
  if (!config.sites.some((site) => site.writeKey === values['write-key'])) {
    throw new UsageError(`--write-key ${values['write-key']} is not a site of ${configPath}`)
  }
  const html =
    file === '-'
      ? await readStdin()
      : await readFile(file, 'utf8').catch((error: Error) => {
          throw new UsageError(`cannot read ${file}: ${error.message}`)
        })
  const options = {
    campaign: values.campaign!,
    writeKey: values['write-key']!,
    base: values.base!,
    signingKey: signingKeys[0],
    recipient: values.recipient,
    emailId: values['email-id'],
    subject: values.subject,
    skip: values.skip,
  }
  let result: { emailId: string; links: InstrumentedLink[]; skipped: { url: string; reason: string }[] }
  let pixel: string
  let warnings: string[] = []
  try {
    if (values.text) {
      const text = instrumentText(html, options)
      await output(text.text, values.out)
      result = text
      pixel = 'plain text: no open pixel'
    } else {
      const email = instrumentEmail(html, options)
      await output(email.html, values.out)
      result = email
      pixel = email.pixelAdded ? 'open pixel added' : 'open pixel already there'
      warnings = email.warnings
    }
  } catch (error) {
    if (error instanceof InstrumentError) throw new UsageError(error.message)
    throw error
  }
  const tracked = result.links.reduce((sum, link) => sum + link.count, 0)
  const lines = [
    `${values.campaign} / email ${result.emailId}: ${tracked} links tracked (${result.links.length} destinations), ${pixel}`,
    ...result.skipped.map((s) => `  left alone: ${s.url} (${s.reason})`),
    ...warnings.map((warning) => `  warning: ${warning}`),
  ]
  if (!values.recipient)
    lines.push('  no --recipient: opens and clicks will not say who; unique recipients cannot be counted')
  console.error(lines.join('\n'))
  return 0
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

async function report(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' },
      'write-key': { type: 'string' },
      window: { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
    },
  })
  const dataDir = resolve(values.data ?? process.env.SPOOR_DATA_DIR ?? './data')
  const windowMs = readOption('--window', () => parseDuration(values.window ?? '7d'))
  const stats = campaignStats(await readEventLines(dataDir), {
    windowMs,
    ...(values['write-key'] ? { writeKey: values['write-key'] } : {}),
  })
  await output(
    values.json ? JSON.stringify(stats, null, 2) + '\n' : renderEmailReport(stats, { source: dataDir }),
    values.out,
  )
  return 0
}

export const email: Command = {
  usage,
  async run(args) {
    const [sub, ...rest] = args
    if (sub === 'key') return key()
    if (sub === 'instrument') return instrument(rest)
    if (sub === 'report') return report(rest)
    throw new UsageError(sub ? `unknown email command "${sub}"` : 'name a command: key, instrument or report')
  },
}
