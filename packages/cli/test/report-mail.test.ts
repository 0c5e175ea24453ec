import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createApp, parseConfig } from '@spoor/collector'
import { createNdjsonSink } from '@spoor/log'
import { buildReport } from '@spoor/report'
import { type AddressObject, simpleParser } from 'mailparser'
import { type SMTPServer as Server, SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/helpers.js'
import { runSpoor } from '../../../test/support/run-cli.js'
import { type ShopData, shopKey, writeShopData } from '../../../test/support/shop-data.js'
import { shownSmtp } from '../src/commands/send-mail.js'

interface Received {
  from: string
  to: string[]
  raw: Buffer
}

let shop: ShopData
let server: Server
let smtp: string
const received: Received[] = []

beforeAll(async () => {
  shop = await writeShopData()
  // A local SMTP server as a mail provider's is, without TLS or a login to keep the test's wiring small.
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  smtp = `smtp://127.0.0.1:${(server.server.address() as { port: number }).port}`
}, 60_000)

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()))
})

const day = ['--from', '2026-03-31', '--to', '2026-03-31']

describe('spoor report --mail-to', () => {
  it('mails the period’s figures, each the dashboard’s, to every address given', async () => {
    const run = await runSpoor([
      'report',
      shop.dataDir,
      '--site',
      shopKey,
      ...day,
      '--mail-to',
      'owner@shop.example',
      '--mail-to',
      'Ana Lima <ana@shop.example>',
      '--mail-from',
      'spoor <reports@shop.example>',
      '--smtp',
      smtp,
      '--dashboard-url',
      'https://stats.shop.example/dashboard?site=shop-key&period=7d',
    ])
    // Quiet when it worked: cron mails whatever a job writes.
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(received).toHaveLength(1)
    const [message] = received
    expect(message!.from).toBe('reports@shop.example')
    expect(message!.to).toEqual(['owner@shop.example', 'ana@shop.example'])
    const mail = await simpleParser(message!.raw)
    expect((mail.to as AddressObject).value.map((a) => a.address)).toEqual(['owner@shop.example', 'ana@shop.example'])

    // The same report as the dashboard builds it, compared with the day before.
    const report = await buildReport({
      dataDir: shop.dataDir,
      writeKey: shopKey,
      from: new Date('2026-03-31T00:00:00.000Z'),
      to: new Date('2026-04-01T00:00:00.000Z'),
      compareWith: { from: new Date('2026-03-30T00:00:00.000Z'), to: new Date('2026-03-31T00:00:00.000Z') },
    })
    const overview = new Map(report.sections.find((s) => s.id === 'overview')!.csv!.rows.map((r) => [r[0], r]))
    const visitors = Number(overview.get('visitors')![1])
    expect(visitors).toBeGreaterThan(3)
    // The day before has no events: every count is new.
    expect(mail.subject).toBe(`shop-key: ${visitors} visitors in 2026-03-31 (new)`)
    expect(mail.text).toMatch(/^shop-key: 2026-03-31 \(UTC\)\n/)
    const text = mail.text!
    expect(text).toContain(`Visitors: ${visitors} (new on the period before)`)
    expect(text).toContain(`Visits: ${overview.get('sessions')![1]} `)
    expect(text).toContain(`Page views: ${overview.get('pageviews')![1]} `)
    expect(text).toContain(`Orders: ${overview.get('orders')![1]} `)
    const topPage = report.sections.find((s) => s.id === 'top-pages')!.csv!.rows[0]!
    expect(text).toContain(`Top pages (page views)\n  ${topPage[1]}  ${topPage[2]}`)
    const html = String(mail.html)
    expect(html).toContain(`>${visitors}</td>`)
    expect(html).toContain('href="https://stats.shop.example/dashboard?site=shop-key&amp;period=7d"')
    expect(html).not.toMatch(/<script|<img/)
  }, 90_000)

  it('says what is missing before it reads anything, and a failed send without the password', async () => {
    const noSender = await runSpoor(['report', shop.dataDir, '--mail-to', 'owner@shop.example', '--smtp', smtp], {
      SPOOR_MAIL_FROM: '',
    })
    expect(noSender.code).toBe(2)
    expect(noSender.stderr).toContain('--mail-to needs a sender')
    const notAnAddress = await runSpoor(['report', shop.dataDir, '--mail-to', 'owner', '--mail-from', 'a@b.c'])
    expect(notAnAddress.stderr).toContain('--mail-to "owner" is not an address')
    // One --mail-to, one address: a name with a comma would make it two.
    const two = await runSpoor(['report', shop.dataDir, '--mail-to', 'a@b.com, <c@d.com>', '--mail-from', 'a@b.c'])
    expect(two.stderr).toContain('is not an address')
    // A URL missing a slash holds its password where no URL parser sees one: it is not echoed.
    const slash = await runSpoor([
      'report',
      shop.dataDir,
      '--mail-to',
      'a@b.com',
      '--mail-from',
      'a@b.c',
      '--smtp',
      'smtp:/u:hunter2@h',
    ])
    expect(slash.code).toBe(2)
    expect(slash.stderr).toContain('is not smtp://… or smtps://…')
    expect(slash.stderr).not.toContain('hunter2')
    const both = await runSpoor(['report', shop.dataDir, '--out', '-', '--period', 'week', '--from', '2026-03-01'])
    expect(both.stderr).toContain('--period and --from/--to: give one')
    const period = await runSpoor(['report', shop.dataDir, '--out', '-', '--period', 'fortnight'])
    expect(period.stderr).toContain('write week or month')
    // Nothing listens on port 9 of the loopback address; the SMTP address comes from the environment.
    const failed = await runSpoor(
      ['report', shop.dataDir, ...day, '--mail-to', 'owner@shop.example', '--mail-from', 'reports@shop.example'],
      { SPOOR_SMTP_URL: 'smtp://spoor:hunter2-secret@127.0.0.1:9' },
    )
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain('could not send the mail through smtp://spoor:***@127.0.0.1:9')
    expect(failed.stderr).not.toContain('hunter2')
  }, 90_000)
})

describe('spoor report --alert-above', () => {
  it('mails when the last hour had that many visitors, once until --alert-every has passed', async () => {
    // Three visitors' page views just now, on the collector's own clock (the alert reads the last hour).
    const dataDir = await tempDir('spoor-alert-')
    const sink = createNdjsonSink({ dataDir })
    const config = parseConfig({ sites: [{ writeKey: 'alert-key', origins: [] }] })
    const app = createApp({ config, sink, snippetPath: '/nonexistent', clientIp: () => '10.0.0.2' })
    const batch = ['a', 'b', 'c'].map((visitor) => ({ type: 'page', anonymousId: visitor }))
    const response = await app.request('/v1/batch', {
      method: 'POST',
      body: JSON.stringify({ writeKey: 'alert-key', batch }),
    })
    expect(response.status).toBe(200)
    await sink.close()
    const mailFlags = ['--mail-to', 'owner@shop.example', '--mail-from', 'reports@shop.example', '--smtp', smtp]
    const alert = (above: string, ...more: string[]) =>
      runSpoor(['report', dataDir, '--site', 'alert-key', '--alert-above', above, ...mailFlags, ...more])
    const remembered = join(dataDir, 'alerts', 'site-alert-key.above-3.json')
    const before = received.length
    // Fewer visitors than asked: no mail, and nothing remembered.
    expect(await alert('4')).toMatchObject({ code: 0, stdout: '', stderr: '' })
    expect(received.length).toBe(before)
    expect(await readdir(dataDir)).not.toContain('alerts')
    expect(await alert('3')).toMatchObject({ code: 0, stdout: '', stderr: '' })
    expect(received.length).toBe(before + 1)
    const mail = await simpleParser(received.at(-1)!.raw)
    expect(mail.subject).toBe('alert-key: a traffic spike, 3 visitors in the last hour')
    expect(mail.text).toContain('Visitors: 3 (new on the period before)')
    expect(JSON.parse(await readFile(remembered, 'utf8')).visitors).toBe(3)
    // Run again by cron a few minutes later: the spike was told. Once --alert-every has passed, it is told again.
    expect(await alert('3')).toMatchObject({ code: 0, stderr: '' })
    expect(received.length).toBe(before + 1)
    expect(await alert('3', '--alert-every', '1ms')).toMatchObject({ code: 0, stderr: '' })
    expect(received.length).toBe(before + 2)
    // A damaged memory is no memory: the alert goes (a crash on every run would have silenced it for good).
    await writeFile(remembered, '{not json')
    expect(await alert('3')).toMatchObject({ code: 0, stderr: '' })
    expect(received.length).toBe(before + 3)
    // A memory that cannot be written fails the run before the mail, not after each one.
    await rm(remembered)
    await mkdir(remembered)
    await writeFile(join(dataDir, 'alerts', 'blocked'), '')
    const unwritable = await alert('3', '--alert-every', '1ms')
    expect(unwritable.code).toBe(1)
    expect(received.length).toBe(before + 3)
    expect((await readdir(join(dataDir, 'alerts'))).filter((name) => name.endsWith('.tmp'))).toEqual([])
    // A mail that fails puts the memory back as it was: the next run tries again.
    await rm(remembered, { recursive: true })
    const earlier = JSON.stringify({ sentAt: '2020-01-01T00:00:00.000Z', visitors: 9 })
    await writeFile(remembered, earlier)
    const down = [
      '--mail-to',
      'owner@shop.example',
      '--mail-from',
      'reports@shop.example',
      '--smtp',
      'smtp://127.0.0.1:9',
    ]
    const failed = await runSpoor(['report', dataDir, '--site', 'alert-key', '--alert-above', '3', ...down])
    expect(failed.code).toBe(1)
    expect(await readFile(remembered, 'utf8')).toBe(earlier)
    const misused = await runSpoor(['report', dataDir, '--alert-above', '3', '--period', 'week', ...mailFlags])
    expect(misused.stderr).toContain('--alert-above reads the last hour and mails it')
    const withOut = await runSpoor(['report', dataDir, '--alert-above', '3', '--out', '-', ...mailFlags])
    expect(withOut.stderr).toContain('no --period, --from, --to or --out')
    const noMail = await runSpoor(['report', dataDir, '--alert-above', '3', '--out', '-'])
    expect(noMail.stderr).toContain('--alert-above needs --mail-to')
    const everyAlone = await runSpoor(['report', dataDir, '--alert-every', '1h', '--out', '-'])
    expect(everyAlone.stderr).toContain('--alert-every needs --alert-above')
  }, 90_000)
})

describe('an SMTP address as errors show it', () => {
  it('has its password masked, however it is written', () => {
    expect(shownSmtp('smtps://me%40shop.example:s3cret@smtp.example:465')).toBe(
      'smtps://me%40shop.example:***@smtp.example:465',
    )
    expect(shownSmtp('smtp:/me:s3cret@smtp.example')).toBe('smtp:/me:***@smtp.example')
    expect(shownSmtp('me:s3cret@smtp.example')).toBe('me:***@smtp.example')
    expect(shownSmtp('smtp://smtp.example:587')).toBe('smtp://smtp.example:587')
  })
})
