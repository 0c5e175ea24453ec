// Black-box probes of what a stranger can send the collector, run the same way against any tree of spoor, so that a
// fix can be measured before and after:
//   node scripts/hostile-probes.mjs [TREE] [probe names…]
// TREE is a checkout of spoor with its dependencies installed (default: this one), e.g. an older commit's:
//   git worktree add /tmp/spoor-before 0f842fc && (cd /tmp/spoor-before && npm ci)
//   node scripts/hostile-probes.mjs /tmp/spoor-before amplification-headers
// Each probe starts that tree's `spoor serve` from its sources (tsx) on a free port with a fresh data folder, sends
// its requests over HTTP on 127.0.0.1, stops the collector with SIGTERM (files published), and prints one JSON line
// of what it measured; all of them are written to `hostile-probes.json` in the temp folder.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const args = process.argv.slice(2)
const here = fileURLToPath(new URL('..', import.meta.url))
const cwd = args[0] && existsSync(args[0]) ? resolve(args.shift()) : here
// The CLI moved to its own package; older trees start it from the collector's.
const cli = ['packages/cli/src/cli.ts', 'packages/collector/src/cli.ts'].find((path) => existsSync(join(cwd, path)))
if (!cli) throw new Error(`${cwd}: no spoor CLI under packages/cli or packages/collector`)
const tree = { cwd, cli }
const which = cwd
const only = args
const scratch = join(tmpdir(), 'spoor-hostile-probes')

const key = 'probe-key'
const other = 'other-key'
const token = 'probe-dashboard-token-0123456789'
const baseConfig = {
  sites: [
    { writeKey: key, origins: ['https://shop.example'], name: 'Shop' },
    { writeKey: other, origins: ['https://other.example'] },
  ],
  dashboard: { token },
}

function spoor(args, node = []) {
  return spawn(process.execPath, [...node, '--conditions=source', '--import', 'tsx', tree.cli, ...args], {
    cwd: tree.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}
function run(args) {
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', tree.cli, ...args], {
    cwd: tree.cwd,
    encoding: 'utf8',
    input: '',
    timeout: 120_000,
  })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

async function serve(extra = [], { config = baseConfig, node = [] } = {}) {
  const dir = mkdtempSync(join(scratch, 'run-'))
  const configPath = join(dir, 'config.json')
  writeFileSync(configPath, JSON.stringify(config))
  const data = join(dir, 'data')
  const child = spoor(
    [
      'serve',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data',
      data,
      '--config',
      configPath,
      '--min-free',
      '0',
      ...extra,
    ],
    node,
  )
  let out = ''
  child.stdout.on('data', (c) => (out += c))
  child.stderr.on('data', (c) => (out += c))
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  const url = await new Promise((resolve, reject) => {
    const check = setInterval(() => {
      const m = /"url":"(http:[^"]+)"/.exec(out)
      if (m) {
        clearInterval(check)
        resolve(m[1])
      }
    }, 20)
    exit.then(() => reject(new Error('exited: ' + out)))
  })
  return {
    url,
    data,
    dir,
    pid: child.pid,
    output: () => out,
    exit,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      return exit
    },
  }
}

const status = (pid, field) => {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}
const mb = (bytes) => (bytes === undefined ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MB`)

function files(root, suffix = '.ndjson') {
  const found = []
  try {
    for (const e of readdirSync(root, { recursive: true, withFileTypes: true }))
      if (e.isFile() && e.name.includes(suffix)) found.push(join(e.parentPath ?? e.path, e.name))
  } catch {}
  return found
}
const bytesUnder = (root) => files(root).reduce((s, f) => s + statSync(f).size, 0)
const textUnder = (root) =>
  files(root)
    .map((f) => readFileSync(f, 'utf8'))
    .join('')
const linesUnder = (root) =>
  textUnder(root)
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))

const post = (url, body, headers = {}) =>
  fetch(url + '/v1/batch', { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers })

const results = []
const record = (probe, figures) => {
  results.push({ probe, ...figures })
  console.log(JSON.stringify({ tree: which, probe, ...figures }))
}

const tiny = { type: 'page', anonymousId: 'a' }
const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
const probes = {
  async 'amplification-context'() {
    const s = await serve(['--rate-limit-ip', '0', '--cart-window', 'off'])
    const body = JSON.stringify({
      writeKey: key,
      context: { pad: 'x'.repeat(450_000) },
      batch: Array.from({ length: 1000 }, () => tiny),
    })
    const r = await post(s.url, body)
    const answer = await r.text()
    const hwm = status(s.pid, 'VmHWM')
    await s.stop()
    const written = bytesUnder(join(s.data, 'events')) + bytesUnder(join(s.data, 'rejected'))
    record('amplification-context', {
      request: body.length,
      status: r.status,
      accepted: JSON.parse(answer).accepted,
      written,
      ratio: +(written / body.length).toFixed(1),
      peakRss: mb(hwm),
    })
  },
  async 'amplification-tiny'() {
    const s = await serve(['--rate-limit-ip', '0', '--cart-window', 'off'])
    const body = JSON.stringify({ writeKey: key, batch: Array.from({ length: 2500 }, () => tiny) })
    const r = await post(s.url, body)
    const answer = await r.json()
    await s.stop()
    const written = bytesUnder(join(s.data, 'events')) + bytesUnder(join(s.data, 'rejected'))
    record('amplification-tiny', {
      request: body.length,
      status: r.status,
      accepted: answer.accepted,
      written,
      ratio: +(written / body.length).toFixed(1),
      bytesPerLine: Math.round(written / answer.accepted),
    })
  },
  async 'amplification-headers'() {
    const s = await serve(['--rate-limit-ip', '0', '--cart-window', 'off'])
    const body = JSON.stringify({ writeKey: key, batch: Array.from({ length: 2500 }, () => tiny) })
    const brand = (n) => `"${String(n).repeat(1)}${'b'.repeat(50)}";v="${'9'.repeat(5)}"`
    const headers = {
      'user-agent': 'Mozilla/5.0 ' + 'u'.repeat(8000),
      referer: 'https://shop.example/' + 'r'.repeat(4000),
      'accept-language': 'de-' + 'l'.repeat(2000),
      // Client hints as long as the collector reads them (512 characters each).
      'sec-ch-ua': Array.from({ length: 8 }, (_, i) => brand(i))
        .join(', ')
        .slice(0, 510),
      'sec-ch-ua-platform': '"' + 'p'.repeat(508) + '"',
      'sec-ch-ua-mobile': '?0',
    }
    const r = await post(s.url, body, headers)
    const answer = await r.json()
    await s.stop()
    const sent = body.length + Object.values(headers).join('').length
    const written = bytesUnder(join(s.data, 'events')) + bytesUnder(join(s.data, 'rejected'))
    record('amplification-headers', {
      request: sent,
      status: r.status,
      accepted: answer.accepted,
      written,
      ratio: +(written / sent).toFixed(1),
      bytesPerLine: Math.round(written / (answer.accepted || 1)),
    })
  },
  async 'amplification-numbers'() {
    const s = await serve(['--rate-limit-ip', '0', '--cart-window', 'off'])
    const body = JSON.stringify({ writeKey: key, batch: Array.from({ length: 2500 }, () => 1) })
    const r = await post(s.url, body)
    await r.text()
    await s.stop()
    const rejected = bytesUnder(join(s.data, 'rejected'))
    record('amplification-numbers', {
      request: body.length,
      status: r.status,
      rejectedBytes: rejected,
      ratio: +(rejected / body.length).toFixed(1),
    })
  },
  async 'poisoned-time'() {
    const s = await serve(['--rate-limit-ip', '0', '--cart-window', 'off'])
    const events = [
      { type: 'track', event: 'E', anonymousId: 'a', originalTimestamp: '2026-02-30T00:00:00Z' },
      { type: 'track', event: 'E', anonymousId: 'b', originalTimestamp: '9999-12-31T23:59:59Z' },
    ]
    const r = await post(s.url, { writeKey: key, sentAt: '0000-01-01T00:00:00Z', batch: events })
    const answer = await r.json()
    const dash = await fetch(s.url + '/dashboard?period=30d', { headers: { authorization: 'Bearer ' + token } })
    await dash.text()
    await s.stop()
    const stored = linesUnder(join(s.data, 'events')).map((l) => l.timestamp)
    const rep = run(['report', s.data, '--out', join(s.dir, 'r.html')])
    record('poisoned-time', {
      accepted: answer.accepted,
      rejected: (answer.rejected ?? []).map((x) => x.reason.slice(0, 60)),
      storedTimestamps: stored,
      dashboardStatus: dash.status,
      reportExit: rep.code,
    })
  },
  async 'heatmap-grid'() {
    const s = await serve(['--rate-limit-ip', '0', '--cart-window', 'off'])
    const r = await post(s.url, {
      writeKey: key,
      batch: [
        {
          type: 'track',
          event: 'Heatmap',
          anonymousId: 'a',
          properties: { path: '/', grid_columns: 20000, grid_rows: 20000, moves: [1] },
        },
      ],
    })
    const answer = await r.json()
    await s.stop()
    record('heatmap-grid', { status: r.status, accepted: answer.accepted ?? 0, reason: answer.rejected?.[0]?.reason })
  },
  async privacy() {
    const s = await serve(['--rate-limit-ip', '0', '--cart-window', 'off', '--trust-proxy', '1'])
    // A pixel with secrets in its query and Referer (from the site's own page).
    const pixel = await fetch(
      `${s.url}/p.gif?k=${key}&e=Viewed&access_token=tok-9f8e7d&password=pw-hunter22&email=ada.lovelace%40example.com`,
      { headers: { referer: 'https://shop.example/account?session=ses-5a4b3c&email=ada.lovelace%40example.com' } },
    )
    await pixel.arrayBuffer()
    // A server-side call refused for a missing name, with the visitor's full address in context.ip.
    const basic = 'Basic ' + Buffer.from(key + ':').toString('base64')
    await (
      await post(
        s.url,
        { batch: [{ type: 'track', userId: 'u1', context: { ip: '198.51.100.77' } }] },
        { authorization: basic },
      )
    ).text()
    // A browser that names its own address.
    await (
      await post(
        s.url,
        { writeKey: key, batch: [{ type: 'page', anonymousId: 'b', context: { ip: '203.0.113.99' } }] },
        {
          origin: 'https://shop.example',
          'x-forwarded-for': '192.0.2.44',
        },
      )
    ).text()
    // A 6to4 client address, through the trusted proxy.
    await (
      await post(
        s.url,
        { writeKey: key, batch: [{ type: 'page', anonymousId: 'c' }] },
        { 'x-forwarded-for': '2002:c633:6401::1' },
      )
    ).text()
    await s.stop()
    const all = textUnder(s.data)
    const lines = linesUnder(join(s.data, 'events'))
    record('privacy', {
      secretsOnDisk: ['tok-9f8e7d', 'pw-hunter22', 'ada.lovelace', 'ses-5a4b3c'].filter((x) => all.includes(x)),
      fullIpInRejected: textUnder(join(s.data, 'rejected')).includes('198.51.100.77'),
      // The page claimed 203.0.113.99; the request came from 192.0.2.44 (through the one trusted proxy).
      recordedIpOfBrowserClaimingAnother: lines.find((l) => l.anonymousId === 'b')?.context?.ip,
      sixToFourStoredAs: lines.find((l) => l.anonymousId === 'c')?.context?.ip,
    })
  },
  async 'strangers-see'() {
    const site = mkdtempSync(join(scratch, 'site-'))
    writeFileSync(join(site, 'index.html'), 'shop')
    writeFileSync(join(site, '.env'), 'SECRET=1')
    const s = await serve(['--static', site, '--trust-proxy', '1'])
    const env = await fetch(s.url + '/.env')
    const metrics = await fetch(s.url + '/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } })
    const host = new URL(s.url)
    const rebind = await new Promise((resolve) => {
      // Host and Origin both the attacker's name, as a DNS-rebinding page sends them.
      const body = JSON.stringify({ writeKey: key, event: 'E', anonymousId: 'a' })
      const sock = connect(Number(host.port), host.hostname, () =>
        sock.write(
          `POST /v1/track HTTP/1.1\r\nHost: rebind.example:8787\r\nOrigin: http://rebind.example:8787\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
        ),
      )
      let text = ''
      sock.on('data', (c) => (text += c))
      sock.on('end', () => resolve(Number(text.split(' ')[1])))
    })
    await env.text()
    await metrics.text()
    await s.stop()
    record('strangers-see', {
      dotEnvStatus: env.status,
      metricsFromElsewhereStatus: metrics.status,
      rebindingOriginStatus: rebind,
    })
  },
  async 'xff-garbage'() {
    const s = await serve(['--trust-proxy', '1', '--rate-limit-ip', '5/s:5', '--cart-window', 'off'])
    let limited = 0
    for (let i = 0; i < 30; i++) {
      const r = await post(
        s.url,
        { writeKey: key, batch: [tiny] },
        { 'x-forwarded-for': i % 2 ? 'garbage' : `junk-${i}` },
      )
      await r.text()
      if (r.status === 429) limited++
    }
    await s.stop()
    record('xff-garbage', { requests: 30, answered429: limited })
  },
  async 'pixel-other-site'() {
    const s = await serve(['--rate-limit-ip', '0', '--cart-window', 'off'])
    for (const referer of ['https://stranger.example/page', 'https://other.example/page']) {
      const r = await fetch(`${s.url}/p.gif?k=${key}&e=Counted`, { headers: { referer } })
      await r.arrayBuffer()
    }
    await s.stop()
    record('pixel-other-site', {
      pixelsFromPagesTheSiteDoesNotList: 2,
      recorded: linesUnder(join(s.data, 'events')).length,
    })
  },
  async 'fair-budget'() {
    const s = await serve(['--rate-limit-ip', '0', '--cart-window', 'off'])
    const { hostname, port } = new URL(s.url)
    const slow = await Promise.all(
      Array.from(
        { length: 33 },
        () =>
          new Promise((resolve) => {
            const sock = connect(Number(port), hostname, () => {
              sock.write(
                `POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 512000\r\n\r\n{"batch":`,
              )
              resolve(sock)
            })
            sock.on('error', () => {})
          }),
      ),
    )
    await new Promise((r) => setTimeout(r, 300))
    const statuses = []
    for (let i = 0; i < 5; i++) {
      const r = await post(s.url, {
        writeKey: key,
        batch: Array.from({ length: 20 }, () => ({
          type: 'track',
          event: 'Honest',
          anonymousId: 'a',
          properties: { pad: 'x'.repeat(20_000) },
        })),
      })
      await r.text()
      statuses.push(r.status)
      const p = await fetch(`${s.url}/p.gif?k=${key}&aid=a&e=Seen`)
      await p.arrayBuffer()
    }
    for (const sock of slow) sock.destroy()
    await s.stop()
    const seen = linesUnder(join(s.data, 'events')).filter((l) => l.event === 'Seen').length
    record('fair-budget', { honestBatchStatuses: statuses.join(','), pixelsRecorded: `${seen}/5` })
  },
  async 'email-opens'() {
    const s = await serve(['--rate-limit-ip', '0', '--cart-window', 'off', '--durability', 'write'], {
      node: ['--max-old-space-size=256'],
    })
    const pad = 'r'.repeat(14 * 1024)
    const total = 40_000
    let sent = 0
    let failed = 0
    const started = Date.now()
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (sent < total && s.alive()) {
          const i = sent++
          try {
            const r = await fetch(`${s.url}/email/o.gif?k=${key}&c=spring&m=e1&r=${i}-${pad}`)
            await r.arrayBuffer()
          } catch {
            failed++
          }
        }
      }),
    )
    const rss = status(s.pid, 'VmRSS')
    const hwm = status(s.pid, 'VmHWM')
    const alive = s.alive()
    const exit = await s.stop()
    record('email-opens', {
      opens: Math.min(sent, total),
      seconds: Math.round((Date.now() - started) / 1000),
      failedRequests: failed,
      aliveAfter: alive,
      rssAfter: mb(rss),
      peakRss: mb(hwm),
      exit: alive ? 'SIGTERM' : JSON.stringify(exit),
      oom: /heap out of memory/i.test(s.output()),
    })
  },
  async 'dedupe-fairness'() {
    const s = await serve(['--rate-limit-ip', '0', '--cart-window', 'off', '--durability', 'write'])
    const order = {
      type: 'track',
      event: 'Order Completed',
      anonymousId: 'buyer',
      messageId: 'order-1',
      properties: { order_id: 'o-1' },
    }
    await (await post(s.url, { writeKey: other, batch: [order] })).text()
    let floodAccepted = 0
    for (let b = 0; b < 220; b++) {
      const batch = Array.from({ length: 2500 }, (_, n) => ({
        type: 'page',
        anonymousId: 'f',
        messageId: `f-${b}-${n}`,
      }))
      floodAccepted += (await (await post(s.url, { writeKey: key, batch })).json()).accepted ?? 0
    }
    const retry = await (await post(s.url, { writeKey: other, batch: [order] })).json()
    await s.stop()
    const written = linesUnder(join(s.data, 'events')).filter((l) => l.messageId === 'order-1').length
    record('dedupe-fairness', {
      floodIds: 550_000,
      floodAccepted,
      retryAnswer: `accepted ${retry.accepted}, duplicates ${retry.duplicates}`,
      orderLinesWritten: written,
    })
  },
  async 'unique-carts'() {
    const config = { sites: [{ writeKey: key, origins: [] }] }
    const heap = { config, node: ['--max-old-space-size=256'] }
    const s = await serve(['--rate-limit-ip', '0', '--durability', 'write'], heap)
    const total = 60_000
    let sent = 0
    const started = Date.now()
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (sent < total && s.alive()) {
          const first = sent
          sent += 40
          const batch = Array.from({ length: 40 }, (_, n) => ({
            type: 'track',
            event: 'Product Added',
            anonymousId: `a-${first + n}`,
            properties: {
              cart_id: `cart-${first + n}`,
              products: [
                {
                  product_id: 'p',
                  name: String.fromCharCode(97 + (n % 26)).repeat(8192) + (first + n),
                  price: 1,
                  quantity: 1,
                },
              ],
            },
          }))
          try {
            // A browser's agent: Node's own would be flagged as a bot's, whose events never fill carts.
            await (await post(s.url, { writeKey: key, batch }, { 'user-agent': chrome })).text()
          } catch {}
        }
      }),
    )
    const alive = s.alive()
    const hwm = status(s.pid, 'VmHWM')
    const metrics = alive ? await (await fetch(s.url + '/metrics')).text() : ''
    await s.stop()
    // The same folder again: the detector replays the files on start.
    const configPath = join(s.dir, 'config.json')
    const again = spoor(
      ['serve', '--port', '0', '--host', '127.0.0.1', '--data', s.data, '--config', configPath, '--min-free', '0'],
      heap.node,
    )
    let out = ''
    again.stdout.on('data', (c) => (out += c))
    again.stderr.on('data', (c) => (out += c))
    const restart = await new Promise((resolve) => {
      const check = setInterval(() => {
        if (/cart detector ready/.test(out)) {
          clearInterval(check)
          resolve('replayed and listening: ' + (/"replayed":(\d+)/.exec(out)?.[1] ?? '?') + ' lines')
        }
      }, 50)
      again.on('exit', (code, signal) => {
        clearInterval(check)
        resolve(`exited ${code ?? signal}${/heap out of memory/i.test(out) ? ' (heap out of memory)' : ''}`)
      })
    })
    again.kill('SIGTERM')
    record('unique-carts', {
      cartsSent: Math.min(sent, total),
      seconds: Math.round((Date.now() - started) / 1000),
      aliveAfterFlood: alive,
      peakRss: mb(hwm),
      cartsHeld: /^spoor_carts_held (\d+)/m.exec(metrics)?.[1],
      cartsRefused: /^spoor_carts_refused (\d+)/m.exec(metrics)?.[1],
      oom: /heap out of memory/i.test(s.output()),
      restartOnSameData: restart,
    })
  },
  async 'heatmap-dashboard'() {
    const s = await serve(['--rate-limit-ip', '0', '--cart-window', 'off'], { node: ['--max-old-space-size=1024'] })
    // A line as an older collector (or a hand) wrote it, beside a click that makes its page the heatmap's.
    const at = new Date().toISOString()
    const partition = join(s.data, 'events', `dt=${at.slice(0, 10)}`, `hour=${at.slice(11, 13)}`)
    mkdirSync(partition, { recursive: true })
    const base = {
      type: 'track',
      anonymousId: 'a',
      userId: null,
      context: { page: { path: '/tea', url: 'https://shop.example/tea' } },
      receivedAt: at,
      timestamp: at,
      writeKey: key,
    }
    const lines = [
      {
        ...base,
        messageId: 'click-1',
        event: 'Element Clicked',
        properties: { x: 10, y: 20, page_width: 100, page_height: 200, text: 'Buy' },
      },
      {
        ...base,
        messageId: 'heat-1',
        event: 'Heatmap',
        properties: {
          path: '/tea',
          page_width: 100,
          page_height: 100,
          grid_columns: 20000,
          grid_rows: 20000,
          moves: [1],
          clicks: [],
        },
      },
    ]
    writeFileSync(join(partition, 'zz-hand.ndjson'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
    const started = Date.now()
    let answer
    try {
      const r = await fetch(s.url + '/dashboard?period=today&heatmap=/tea', {
        headers: { authorization: 'Bearer ' + token },
        signal: AbortSignal.timeout(90_000),
      })
      await r.text()
      answer = r.status
    } catch (error) {
      answer = String(error.cause?.code ?? error.name)
    }
    const took = Date.now() - started
    await new Promise((r) => setTimeout(r, 500))
    const alive = s.alive()
    await s.stop()
    record('heatmap-dashboard', {
      dashboardAnswer: answer,
      ms: took,
      collectorAliveAfter: alive,
      oom: /heap out of memory|Invalid array length/i.test(s.output()),
    })
  },
  async 'erase-forged'() {
    const s = await serve(['--rate-limit-ip', '0', '--cart-window', 'off'])
    const basic = 'Basic ' + Buffer.from(key + ':').toString('base64')
    await (
      await post(
        s.url,
        {
          batch: [
            {
              type: 'identify',
              anonymousId: 'victim-device',
              userId: 'victim',
              traits: { email: 'victim@example.com' },
            },
            { type: 'page', anonymousId: 'victim-device', userId: 'victim' },
            {
              type: 'track',
              event: 'Order Completed',
              anonymousId: 'victim-device',
              userId: 'victim',
              properties: { order_id: 'o-1' },
            },
          ],
        },
        { authorization: basic },
      )
    ).text()
    // The forged pixel: the victim's id beside the stranger's email.
    await (
      await fetch(`${s.url}/p.gif?k=${key}&uid=victim&email=${encodeURIComponent('stranger@example.com')}`)
    ).arrayBuffer()
    await s.stop()
    const own = () => linesUnder(join(s.data, 'events')).filter((l) => l.anonymousId === 'victim-device').length
    const before = own()
    const r = run(['erase', s.data, '--email', 'stranger@example.com'])
    const after = own()
    const victimOrder = linesUnder(join(s.data, 'events')).some((l) => l.event === 'Order Completed')
    record('erase-forged', {
      victimLinesBefore: before,
      victimLinesAfter: after,
      victimOrderKept: victimOrder,
      eraseExit: r.code,
    })
  },
}

mkdirSync(scratch, { recursive: true })
for (const [name, probe] of Object.entries(probes)) {
  if (only.length && !only.includes(name)) continue
  try {
    await probe()
  } catch (error) {
    record(name, { error: String(error).slice(0, 300) })
  }
}
writeFileSync(join(scratch, 'hostile-probes.json'), JSON.stringify(results, null, 1))
