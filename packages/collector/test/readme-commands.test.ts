import { spawn } from 'node:child_process'
import { chmod, cp, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { EventLine } from '@spoor/protocol'
import { beforeAll, describe, expect, it } from 'vitest'
import { dashboard, parseConfig } from '../src/index.js'
import { readPrivacySettings } from '../src/privacy-settings.js'
import { blockContaining, repoRoot } from './doc-block.js'
import { basic, readLines, tempDir } from './helpers.js'
import { listeningUrl, spawnSpoor, spoorScript } from './run-cli.js'
import { shopKey, writeShopData, type ShopData } from './shop-data.js'

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
    const child = spawn('bash', ['-e', '-c', line.replace(/^npx spoor /, 'spoor ')], { cwd, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** The words of a one-line command without `npx spoor`, its trailing comment, and its shell quoting (none used). */
const words = (line: string) => line.replace(/^npx spoor /, '').replace(/\s+#.*$/, '').trim().split(/\s+/)

/** Starts a `spoor serve` line in `cwd` (port 0 via `PORT` unless the line names one), sends one event, stops it. */
async function serveOnce(line: string, cwd: string, port: string[] = []) {
  const args = words(line)
  const at = args.indexOf('--port')
  if (at >= 0) args.splice(at, 2, ...port)
  const child = spawnSpoor(args, { PORT: '0' }, cwd)
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  const url = (await listeningUrl(child)).replace('//localhost:', '//127.0.0.1:')
  const response = await fetch(url + '/v1/batch', {
    method: 'POST',
    headers: { authorization: basic('KEY'), origin: 'https://shop.example', 'content-type': 'text/plain' },
    body: JSON.stringify({ batch: [{ type: 'track', event: 'Signed Up', anonymousId: 'readme-visitor', properties: { plan: 'pro' } }] }),
  })
  expect(response.status).toBe(200)
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
    expect(readPrivacySettings(privacy).site('KEY')).toEqual({ gpc: 'minimize', visitorHash: true })

    // `[...]` stands for the sites of the first config.
    const withDashboard = JSON.parse(blockWith('"dashboard": {"token"').replace('[...]', JSON.stringify(first.sites)))
    const page = dashboard({ config: parseConfig(withDashboard), dataDir: shop.dataDir })
    // The address and the two ways of giving the token that the README gives.
    const address = /`https:\/\/COLLECTOR(\/dashboard\?[^`]+)`/.exec(readme)![1]!
    expect(address).toBe('/dashboard?site=KEY&from=2026-03-01')
    expect((await page.request(address)).status).toBe(401)
    const token = withDashboard.dashboard.token as string
    expect((await page.request(address, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
    expect((await page.request(address, { headers: { authorization: 'Basic ' + Buffer.from(`any:${token}`).toString('base64') } })).status).toBe(200)
  }, 30_000)
})

describe("the README's commands, run as written", () => {
  it('spoor serve, with the config above, takes an event and publishes it on SIGTERM', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'spoor.config.json'), blockWith('{"sites": [{"writeKey": "KEY", "name": "My shop"'))
    // The line's fixed port becomes a free one: nothing else changes.
    const lines = await serveOnce(lineOf(blockWith('npx spoor serve --config spoor.config.json --port'), 'npx spoor serve'), dir, ['--port', '0'])
    expect(lines).toMatchObject([{ event: 'Signed Up', writeKey: 'KEY', anonymousId: 'readme-visitor' }])
  }, 30_000)

  it('spoor serve --cart-window and spoor carts > abandoned.ndjson: the carts of the shop, abandoned and recovered', async () => {
    const block = blockWith('npx spoor carts ./data')
    const dir = await tempDir()
    await writeFile(join(dir, 'spoor.config.json'), await readFile(join(shop.dir, 'spoor.config.json')))
    expect(await serveOnce(lineOf(block, 'npx spoor serve'), dir)).toHaveLength(1)

    const run = await bash(lineOf(block, 'npx spoor carts'), shop.dir)
    expect(run.code).toBe(0)
    expect(run.stderr).toMatch(/^6 abandoned, 1 recovered \(window 90m/)
    const decided = (await readFile(join(shop.dir, 'abandoned.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as EventLine)
    // With a 90-minute window every cart of the story with items and no order is abandoned by now, Ivy's too;
    // Dee's order, an hour and a half after her window closed, recovers hers.
    expect(decided.filter((e) => e.event === 'Cart Abandoned').map((e) => e.properties.cart_id ?? null).sort()).toEqual(
      [...shop.abandoned, 'cart-ivy'].sort(),
    )
    expect(decided.filter((e) => e.event === 'Cart Recovered').map((e) => e.properties.cart_id)).toEqual([shop.recovered])
  }, 60_000)

  it('spoor report writes the page, without and with its optional arguments', async () => {
    const line = lineOf(blockWith('npx spoor report ./data'), 'npx spoor report')
    // `[…]` marks what may be left out; KEY is the site's key.
    const without = line.replace(/\s*\[[^\]]*\]/g, '')
    const withAll = line.replace(/\[([^\]]*)\]/g, '$1').replace('KEY', shopKey)
    expect(without).toBe('npx spoor report ./data --out report.html')
    for (const command of [without, withAll]) {
      const run = await bash(command, shop.dir)
      expect(run.code, `${command}\n${run.stderr}`).toBe(0)
      expect(run.stderr).toMatch(/\d+ of \d+ sections filled/)
      expect((await readFile(join(shop.dir, 'report.html'), 'utf8')).slice(0, 200)).toMatch(/<!doctype html>/i)
    }
  }, 120_000)

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
    expect((await stat(join(dir, 'data'))).isDirectory()).toBe(true)
  }, 30_000)
})
