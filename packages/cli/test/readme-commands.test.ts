import { spawn } from 'node:child_process'
import { chmod, cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Analytics } from '@segment/analytics-node'
import { createApp, parseConfig, presentsToken, readPrivacySettings, startServer } from '@spoor/collector'
import { createNdjsonSink } from '@spoor/log'
import type { EventLine } from '@spoor/protocol'
import { dashboard } from '@spoor/report'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { beforeAll, describe, expect, it } from 'vitest'
import { blockContaining, repoRoot } from '../../../test/support/doc-block.js'
import { attributeUrls, exampleDir, fillIn } from '../../../test/support/email-helpers.js'
import { basic, readLines, tempDir } from '../../../test/support/helpers.js'
import { listeningUrl, spawnSpoor, spoorScript } from '../../../test/support/run-cli.js'
import { type ShopData, shopKey, writeShopData } from '../../../test/support/shop-data.js'

// The README's commands and config, taken from it when the test runs and run as written, in a folder laid out as
// the README assumes (spoor.config.json and data/ in the working folder). `npx spoor` is the package's bin; here
// it is `spoor` run from source, the only change made to a line.
let readme: string
let shop: ShopData
let bin: string

/** The code of the README's fenced block that contains `text`. */
const blockWith = (text: string) => blockContaining(readme, text)

/** The line of a README block that starts with `start`. */
const lineOf = (block: string, start: string) => {
  const line = block.split('\n').find((l) => l.startsWith(start))
  expect(line, `a line starting ${start}`).toBeDefined()
  return line!
}

/** A command line as bash runs it, with `spoor` on the PATH. */
function bash(line: string, cwd: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('bash', ['-e', '-c', line.replace(/^npx spoor /, 'spoor ')], {
      cwd,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** The words of a one-line command without `(npx) spoor`, its trailing comment, and its shell quoting (none used). */
const words = (line: string) =>
  line
    .replace(/^(npx )?spoor /, '')
    .replace(/\s+#.*$/, '')
    .trim()
    .split(/\s+/)

/** Sends one event as a browser of the README's site does. */
async function sendOne(url: string) {
  const response = await fetch(url + '/v1/batch', {
    method: 'POST',
    headers: { authorization: basic('KEY'), origin: 'https://shop.example', 'content-type': 'text/plain' },
    body: JSON.stringify({
      batch: [{ type: 'track', event: 'Signed Up', anonymousId: 'readme-visitor', properties: { plan: 'pro' } }],
    }),
  })
  expect(response.status).toBe(200)
}

/**
 * Starts a `spoor serve` line in `cwd` (port 0 via `PORT` unless the line names one; `port` replaces a named one),
 * runs `meanwhile` against it, stops it with SIGTERM; resolves to the events it wrote.
 */
async function serve(line: string, cwd: string, { port = [] as string[], meanwhile = sendOne } = {}) {
  const args = words(line)
  const at = args.indexOf('--port')
  if (at >= 0) args.splice(at, 2, ...port)
  const child = spawnSpoor(args, { PORT: '0' }, { cwd })
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  await meanwhile((await listeningUrl(child)).replace('//localhost:', '//127.0.0.1:'))
  child.kill('SIGTERM')
  expect(await exited).toBe(0)
  return readLines<EventLine>(join(cwd, 'data'))
}

beforeAll(async () => {
  readme = await readFile(new URL('README.md', repoRoot), 'utf8')
  shop = await writeShopData()
  bin = join(shop.dir, 'bin')
  await mkdir(bin)
  await writeFile(join(bin, 'spoor'), spoorScript())
  await chmod(join(bin, 'spoor'), 0o755)
  await writeFile(join(shop.dir, 'spoor.config.json'), blockWith('{"sites": [{"writeKey": "KEY", "name": "My shop"'))
}, 60_000)

describe("the README's collector config", () => {
  it('is accepted as written: the first config, the privacy example, and the dashboard section added to the first', async () => {
    const first = JSON.parse(blockWith('{"sites": [{"writeKey": "KEY", "name": "My shop"'))
    expect(parseConfig(first).sites.map((s) => s.writeKey)).toEqual(['KEY'])

    const privacy = parseConfig(JSON.parse(blockWith('"ipv4MaskBytes": 2')))
    const site = readPrivacySettings(privacy).site('KEY')
    expect(site).toMatchObject({ gpc: 'minimize', visitorHash: true })
    expect(site.redactUrl('https://shop.example/?order_ref=A1&q=tea')).toBe(
      'https://shop.example/?order_ref=redacted&q=tea',
    )

    // `[...]` stands for the sites of the first config.
    const withDashboard = JSON.parse(blockWith('"dashboard": {"token"').replace('[...]', JSON.stringify(first.sites)))
    const page = dashboard({ config: parseConfig(withDashboard), dataDir: shop.dataDir, presentsToken })
    // The address and the two ways of giving the token that the README gives.
    const address = /`https:\/\/COLLECTOR(\/dashboard\?[^`]+)`/.exec(readme)![1]!
    expect(address).toBe('/dashboard?site=KEY&from=2026-03-01')
    expect((await page.request(address)).status).toBe(401)
    const token = withDashboard.dashboard.token as string
    expect((await page.request(address, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
    expect(
      (
        await page.request(address, {
          headers: { authorization: 'Basic ' + Buffer.from(`any:${token}`).toString('base64') },
        })
      ).status,
    ).toBe(200)
    // The stats API's curl line: its header and address, the README's key and token filled in.
    const curl = /`curl -s -H "Authorization: Bearer \$TOKEN" "https:\/\/COLLECTOR(\/dashboard\.json\?[^"]+)"`/.exec(
      readme.replaceAll('\n  ', ' '),
    )
    expect(curl, 'the README names the JSON address with curl').not.toBeNull()
    // The README's site is KEY, as its config names it.
    const api = await page.request(curl![1]!, { headers: { authorization: `Bearer ${token}` } })
    expect(api.status).toBe(200)
    const stats = await api.json()
    expect(stats).toMatchObject({ site: 'KEY', filters: {} })
    expect(Object.keys(stats.panels)).toEqual(['sources'])
  }, 30_000)
})

describe("the README's commands, run as written", () => {
  it('spoor serve, with the config above, takes an event and publishes it on SIGTERM', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'spoor.config.json'), blockWith('{"sites": [{"writeKey": "KEY", "name": "My shop"'))
    // The line's fixed port becomes a free one: nothing else changes.
    const lines = await serve(
      lineOf(blockWith('npx spoor serve --config spoor.config.json --port'), 'npx spoor serve'),
      dir,
      { port: ['--port', '0'] },
    )
    expect(lines).toMatchObject([{ event: 'Signed Up', writeKey: 'KEY', anonymousId: 'readme-visitor' }])
  }, 30_000)

  it('spoor --help and spoor serve --help list the commands and the options, the environment variables too', async () => {
    const said =
      /`spoor --help` and `spoor serve --help` list every option \(`PORT`, `SPOOR_DATA_DIR` and `SPOOR_CONFIG` work too\)/
    expect(readme).toMatch(said)
    const top = await bash('spoor --help', shop.dir)
    expect(top.code).toBe(0)
    for (const command of ['serve', 'email', 'carts', 'report', 'erase'])
      expect(top.stdout).toMatch(new RegExp(`^  ${command} `, 'm'))
    const serveHelp = await bash('spoor serve --help', shop.dir)
    expect(serveHelp.code).toBe(0)
    for (const variable of ['PORT', 'SPOOR_DATA_DIR', 'SPOOR_CONFIG'])
      expect(serveHelp.stdout).toContain(`env ${variable}`)
    for (const option of ['--config', '--port', '--data', '--cart-window', '--durability', '--trust-proxy'])
      expect(serveHelp.stdout).toContain(`  ${option} `)
  }, 30_000)

  it('spoor serve --cart-window and spoor carts > abandoned.ndjson: the carts of the shop, abandoned and recovered', async () => {
    const block = blockWith('npx spoor carts ./data')
    const dir = await tempDir()
    await writeFile(join(dir, 'spoor.config.json'), await readFile(join(shop.dir, 'spoor.config.json')))
    expect(await serve(lineOf(block, 'npx spoor serve'), dir)).toHaveLength(1)

    const run = await bash(lineOf(block, 'npx spoor carts'), shop.dir)
    expect(run.code).toBe(0)
    expect(run.stderr).toMatch(/^6 abandoned, 1 recovered \(window 90m/)
    const decided = (await readFile(join(shop.dir, 'abandoned.ndjson'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as EventLine)
    // With a 90-minute window every cart of the story with items and no order is abandoned by now, Ivy's too;
    // Dee's order, an hour and a half after her window closed, recovers hers.
    expect(
      decided
        .filter((e) => e.event === 'Cart Abandoned')
        .map((e) => e.properties.cart_id ?? null)
        .sort(),
    ).toEqual([...shop.abandoned, 'cart-ivy'].sort())
    expect(decided.filter((e) => e.event === 'Cart Recovered').map((e) => e.properties.cart_id)).toEqual([
      shop.recovered,
    ])
  }, 60_000)

  it('spoor report writes the page, without and with its optional arguments', async () => {
    const line = lineOf(blockWith('npx spoor report ./data --out'), 'npx spoor report')
    // `[…]` marks what may be left out; KEY is the site's key.
    const without = line.replace(/\s*\[[^\]]*\]/g, '')
    const withAll = line.replace(/\[([^\]]*)\]/g, '$1').replace('KEY', shopKey)
    expect(without).toBe('npx spoor report ./data --out report.html')
    // A reader puts their key in the config as in the command (`--config` reads the site's funnels there).
    const config = join(shop.dir, 'spoor.config.json')
    const asWritten = await readFile(config, 'utf8')
    await writeFile(config, asWritten.replaceAll('"KEY"', JSON.stringify(shopKey)))
    try {
      for (const command of [without, withAll]) {
        const run = await bash(command, shop.dir)
        expect(run.code, `${command}\n${run.stderr}`).toBe(0)
        expect(run.stderr).toMatch(/\d+ of \d+ sections filled/)
        expect((await readFile(join(shop.dir, 'report.html'), 'utf8')).slice(0, 200)).toMatch(/<!doctype html>/i)
      }
    } finally {
      await writeFile(config, asWritten)
    }
  }, 120_000)

  it('the cron line of the weekly mail sends it, logged in as the URL says', async () => {
    const line = lineOf(blockWith('--period week --mail-to'), '0 8 * * 1 ')
    // A test SMTP server, without TLS, that takes the README's login only.
    const logins: string[] = []
    const mails: Buffer[] = []
    const server = new SMTPServer({
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth(auth, _session, callback) {
        logins.push(`${auth.username}:${auth.password}`)
        if (auth.username === 'reports@shop.example' && auth.password === 'PASSWORD') callback(null, { user: 'r' })
        else callback(new Error('wrong login'))
      },
      onData(stream, _session, callback) {
        const chunks: Buffer[] = []
        stream.on('data', (chunk: Buffer) => chunks.push(chunk))
        stream.on('end', () => {
          mails.push(Buffer.concat(chunks))
          callback()
        })
      },
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.server.address() as { port: number }).port
    try {
      // What cron runs, in the shop's folder, with the README's smtp.env, through the test server in place of the
      // provider's (no TLS here).
      const block = blockWith('--period week --mail-to')
      const env = /^# smtp\.env: (.+)$/m.exec(block)![1]!
      await writeFile(
        join(shop.dir, 'smtp.env'),
        env.replace('smtps://', 'smtp://').replace('smtp.shop.example:465', `127.0.0.1:${port}`) + '\n',
      )
      const command = line
        .replace(/^0 8 \* \* 1 /, '')
        .replace('cd /srv/shop', `cd ${shop.dir}`)
        .replace('--site KEY', `--site ${shopKey}`)
        .replace('npx spoor ', 'spoor ')
      const run = await bash(command, shop.dir)
      expect(run.code, `${command}\n${run.stderr}`).toBe(0)
      expect(run.stderr + run.stdout).toBe('')
      expect(logins).toEqual(['reports@shop.example:PASSWORD'])
      expect(mails).toHaveLength(1)
      const mail = await simpleParser(mails[0]!)
      expect(mail.from?.value).toEqual([{ name: 'spoor', address: 'reports@shop.example' }])
      // Last week, by the real clock: the shop's March has no visitor in it.
      expect(mail.subject).toMatch(new RegExp(`^${shopKey}: 0 visitors in the week of \\d+ \\w+ \\d{4} \\(±0%\\)$`))
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }, 120_000)

  it('the email flow: key, instrument, serve, report', async () => {
    const flow = blockWith('spoor email key')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
    expect(flow).toHaveLength(4)
    const dir = await tempDir()
    await cp(join(exampleDir, 'campaign.html'), join(dir, 'campaign.html'))
    const key = await bash(flow[0]!, dir)
    expect(key.code).toBe(0)
    // What the first line's comment says to do with the key.
    const config = JSON.parse(blockWith('{"sites": [{"writeKey": "KEY", "name": "My shop"'))
    await writeFile(
      join(dir, 'spoor.config.json'),
      JSON.stringify({ ...config, email: { signingKeys: [key.stdout.trim()] } }),
    )
    const instrumented = await bash(flow[1]!, dir)
    expect(instrumented.code, instrumented.stderr).toBe(0)
    // The mail service fills in {{id}}; the tracked host (--base) is where this collector runs.
    const mail = fillIn(await readFile(join(dir, 'out.html'), 'utf8'), { id: 'ada' })
    const [pixel] = attributeUrls(mail, 'src').filter((u) => u.startsWith('https://t.example.com/email/o.gif'))
    const [link] = attributeUrls(mail, 'href').filter((u) => u.startsWith('https://t.example.com/email/c'))
    const person = {
      'user-agent':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    }
    const events = await serve(flow[2]!, dir, {
      meanwhile: async (url) => {
        expect((await fetch(pixel!.replace('https://t.example.com', url), { headers: person })).status).toBe(200)
        expect(
          (await fetch(link!.replace('https://t.example.com', url), { headers: person, redirect: 'manual' })).status,
        ).toBe(302)
      },
    })
    expect(events.map((e) => [e.event, e.properties.campaign_id, e.properties.recipient_id])).toEqual([
      ['Email Opened', 'spring-sale', 'ada'],
      ['Email Link Clicked', 'spring-sale', 'ada'],
    ])
    const report = await bash(flow[3]!, dir)
    expect(report.code, report.stderr).toBe(0)
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain('spring-sale')
  }, 60_000)

  it('a Segment server library with the options the README gives delivers to the collector', async () => {
    const options = /new Analytics\((\{[^}]*\})\)/.exec(blockWith("from '@segment/analytics-node'"))![1]!
    const given = Function(`return (${options})`)() as { writeKey: string; host: string }
    expect(given.host).toBe('http://localhost:8787')
    const dataDir = join(await tempDir(), 'data')
    const sink = createNdjsonSink({ dataDir })
    const config = parseConfig(JSON.parse(blockWith('{"sites": [{"writeKey": "KEY", "name": "My shop"')))
    const server = await startServer({ app: createApp({ config, sink }), sink, port: 0, hostname: '127.0.0.1' })
    // The README's options, the collector's free port in place of 8787.
    const analytics = new Analytics({
      ...given,
      host: given.host.replace('localhost:8787', `127.0.0.1:${server.port}`),
    })
    analytics.track({
      userId: 'u1',
      event: 'Order Completed',
      properties: { order_id: 'o1', value: 30, currency: 'EUR' },
    })
    await analytics.closeAndFlush()
    await server.close()
    expect(await readLines(dataDir)).toMatchObject([{ event: 'Order Completed', userId: 'u1', writeKey: 'KEY' }])
  }, 30_000)

  it('spoor compact writes each day once as Parquet, does nothing the second time, and the report stays the same', async () => {
    const dir = await tempDir()
    await cp(shop.dataDir, join(dir, 'data'), { recursive: true })
    const days = (await readdir(join(dir, 'data/events'))).filter((name) => name.startsWith('dt=')).sort()
    expect(days.length).toBeGreaterThan(1)
    // A period around the whole story, so that the page does not depend on the day the test runs.
    const report = async () => {
      const run = await bash('spoor report ./data --out report.html --from 2026-03-01 --to 2026-04-30', dir)
      expect(run.code, run.stderr).toBe(0)
      // The footer says when the page was made: the rest must be the same.
      return (await readFile(join(dir, 'report.html'), 'utf8')).replace(/Generated [^<]* UTC/, 'Generated')
    }
    const fromFiles = await report()

    const line = lineOf(blockWith('npx spoor compact ./data'), 'npx spoor compact')
    const first = await bash(line, dir)
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toMatch(new RegExp(`^compacted ${days.length} day\\(s\\), 0 unchanged`))
    const compacted = (await readdir(join(dir, 'data/compacted'))).sort()
    expect(compacted.filter((name) => name.endsWith('.json'))).toEqual(days.map((day) => `${day}.json`))
    for (const day of days) {
      expect(compacted.filter((name) => name.startsWith(`${day}.`) && name.endsWith('.parquet'))).toHaveLength(1)
    }

    const again = await bash(line, dir)
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toMatch(new RegExp(`^compacted 0 day\\(s\\), ${days.length} unchanged`))
    expect((await readdir(join(dir, 'data/compacted'))).sort()).toEqual(compacted)

    // The NDJSON files stay the source of truth: the compacted days give the report they gave.
    expect(await report()).toBe(fromFiles)
    await rm(join(dir, 'data/compacted'), { recursive: true })
    const rebuilt = await bash(line, dir)
    expect(rebuilt.code, rebuilt.stderr).toBe(0)
    expect(rebuilt.stdout).toMatch(new RegExp(`^compacted ${days.length} day\\(s\\), 0 unchanged`))
    expect(await report()).toBe(fromFiles)
  }, 60_000)

  it('spoor erase --email removes every event of that person', async () => {
    const dir = await tempDir()
    await cp(shop.dataDir, join(dir, 'data'), { recursive: true })
    const before = await readLines<EventLine>(join(dir, 'data'))
    const ada = before.find((e) => e.traits.email === 'ada@example.com')!.anonymousId
    expect(before.filter((e) => e.anonymousId === ada).length).toBeGreaterThan(3)

    const run = await bash(lineOf(blockWith('npx spoor erase ./data --email'), 'npx spoor erase'), dir)
    expect(run.code, run.stderr).toBe(0)
    const after = await readLines<EventLine>(join(dir, 'data'))
    expect(after.filter((e) => e.anonymousId === ada || JSON.stringify(e).includes('ada@example.com'))).toEqual([])
    expect(after.length).toBe(before.filter((e) => e.anonymousId !== ada).length)
  }, 30_000)

  it('spoor erase --older-than keeps exactly the days of arrival within the age', async () => {
    const dir = await tempDir()
    await cp(shop.dataDir, join(dir, 'data'), { recursive: true })
    const before = await readLines<EventLine>(join(dir, 'data'))
    const run = await bash(lineOf(blockWith('npx spoor erase ./data --older-than'), 'npx spoor erase'), dir)
    expect(run.code, run.stderr).toBe(0)
    // Which days go depends on today's date: the command says where it cut, and the folder must agree.
    const firstKept = /^removed \d+ day\(s\) before (\d{4}-\d{2}-\d{2})/.exec(run.stdout)?.[1]
    expect(firstKept, run.stdout).toBeDefined()
    const after = await readLines<EventLine>(join(dir, 'data'))
    expect(after).toEqual(before.filter((e) => e.receivedAt.slice(0, 10) >= firstKept!))
    const days = await readdir(join(dir, 'data', 'events'))
    expect(days.filter((day) => day.slice(3) < firstKept!)).toEqual([])
  }, 30_000)
})
