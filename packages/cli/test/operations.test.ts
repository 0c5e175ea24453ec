import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { join } from 'node:path'
import { startServer } from '@spoor/collector'
import { createMetrics, createNdjsonSink } from '@spoor/log'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { faultyDisk } from '../../../test/support/faulty-disk.js'
import { readLines, tempDir, testApp, writeKey } from '../../../test/support/helpers.js'
import { listeningUrl, serveOnFreePort, spawnSpoor } from '../../../test/support/run-cli.js'
import { fillDisk, freeDisk, onSmallDisk } from '../../../test/support/small-disk.js'

const event = (id: string) => ({ type: 'track', event: 'Measured', anonymousId: 'a', messageId: id })

describe('/healthz and /readyz', () => {
  it('are separate: alive while the sink is not ready, and not ready while draining', async () => {
    const { disk, state } = faultyDisk(0)
    const sink = createNdjsonSink({ dataDir: await tempDir(), disk, minFreeBytes: 1, checkEveryMs: 50 })
    await sink.ready
    let draining = false
    const { app } = await testApp({ sink, draining: () => draining })
    expect((await app.request('/healthz')).status).toBe(200)
    const notReady = await app.request('/readyz')
    expect([notReady.status, (await notReady.json()).reason]).toEqual([
      503,
      expect.stringMatching(/^disk below watermark/),
    ])
    state.capacity = 1e9
    await expect.poll(async () => (await app.request('/readyz')).status, { timeout: 5000 }).toBe(200)
    draining = true
    expect(await (await app.request('/readyz')).json()).toEqual({ status: 'not ready', reason: 'shutting down' })
    await sink.close()
  })
})

describe('/metrics', () => {
  it('reports events, rejections by reason, bytes, fsync latency, requests by status, in-flight bytes and files published, in Prometheus text', async () => {
    const metrics = createMetrics()
    const dataDir = await tempDir()
    const sink = createNdjsonSink({ dataDir, metrics, minFreeBytes: 0 })
    const { app } = await testApp({ sink, metrics })
    await app.request('/v1/batch', {
      method: 'POST',
      body: JSON.stringify({ writeKey, batch: [event('m1'), event('m2'), { type: 'track', anonymousId: 'a' }] }),
    })
    await app.request('/v1/batch', { method: 'POST', body: JSON.stringify({ writeKey, batch: [event('m1')] }) })
    await app.request('/v1/batch', { method: 'POST', body: '{' })
    await app.request(`/p.gif?k=${writeKey}`)
    await app.request('/healthz')
    await app.request('/no-such-page')
    // Matched by the event API's middleware but by no handler: still one request.
    await app.request('/v1/batch', { method: 'GET' })
    await sink.close()
    const response = await app.request('/metrics')
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    const text = await response.text()
    const value = (series: string) =>
      Number(new RegExp(`^${series.replace(/[{}"()+.[\]]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1])
    expect(value('spoor_events_accepted_total')).toBe(3)
    expect(value('spoor_events_duplicate_total')).toBe(1)
    expect(value('spoor_events_rejected_total{reason="track needs an event name in …"}')).toBe(1)
    expect(value('spoor_bytes_written_total{log="events"}')).toBeGreaterThan(300)
    expect(value('spoor_bytes_written_total{log="rejected"}')).toBeGreaterThan(50)
    expect(value('spoor_files_published_total{log="events"}')).toBe(1)
    expect(value('spoor_fsync_seconds_count')).toBeGreaterThanOrEqual(3)
    expect(value('spoor_fsync_seconds_bucket{le="+Inf"}')).toBe(value('spoor_fsync_seconds_count'))
    expect(value('spoor_requests_total{route="/v1/:type",status="200"}')).toBe(2)
    expect(value('spoor_requests_total{route="/v1/:type",status="400"}')).toBe(1)
    expect(value('spoor_requests_total{route="/p.gif",status="200"}')).toBe(1)
    expect(value('spoor_requests_total{route="/healthz",status="200"}')).toBe(1)
    expect(value('spoor_requests_total{route="unmatched",status="404"}')).toBe(2)
    expect(value('spoor_in_flight_bytes')).toBe(0)
    expect(value('spoor_in_flight_bytes_limit')).toBe(6 * 1024 * 1024)
    expect(value('spoor_sink_ready')).toBe(1)
    // Every sample line is "name{labels} number"; every metric has a TYPE.
    for (const line of text.trim().split('\n'))
      expect(line).toMatch(/^(# (HELP|TYPE) spoor_\w+ .+|spoor_\w+(\{[^}]*\})? -?[\d.e+]+)$/)
  })
  it('counts the routes spoor serve mounts beside the collector: the dashboard and the email links', async () => {
    const dir = await tempDir()
    const config = join(dir, 'spoor.config.json')
    await writeFile(
      config,
      JSON.stringify({ sites: [{ writeKey: 'dash-key', origins: [] }], dashboard: { token: 'd'.repeat(24) } }),
    )
    const child = spawnSpoor([...serveOnFreePort, '--data', join(dir, 'data'), '--config', config, '--min-free', '0'])
    const exited = new Promise((resolve) => child.on('exit', resolve))
    try {
      const url = await listeningUrl(child)
      expect((await fetch(url + '/dashboard')).status).toBe(401)
      expect((await fetch(url + '/email/c?k=dash-key&s=forged')).status).toBe(404)
      const text = await (await fetch(url + '/metrics')).text()
      expect(text).toContain('spoor_requests_total{route="/dashboard",status="401"} 1')
      // A refused email link answers 404, counted as unmatched like every 404.
      expect(text).toContain('spoor_requests_total{route="unmatched",status="404"} 1')
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  }, 30_000)
})

describe('the serve command in operation', () => {
  it('logs one JSON object per line, never an IP or a payload', async () => {
    const dir = await tempDir()
    const config = join(dir, 'spoor.config.json')
    await writeFile(config, JSON.stringify({ sites: [{ writeKey: 'log-key', origins: ['*'] }] }))
    // A file a crash left, so that recovery logs; a watermark no disk meets, so that readiness logs.
    await mkdir(join(dir, 'data/events/dt=2026-11-23/hour=15'), { recursive: true })
    await writeFile(join(dir, 'data/events/dt=2026-11-23/hour=15/x.ndjson.open'), '{"messageId":"old"}\n{"cut')
    const child = spawnSpoor([
      ...serveOnFreePort,
      '--data',
      join(dir, 'data'),
      '--config',
      config,
      '--trust-proxy',
      '1',
      '--min-free',
      '1000000GB',
    ])
    let out = ''
    child.stdout!.on('data', (chunk) => (out += chunk))
    child.stderr!.on('data', (chunk) => (out += chunk))
    const url = await listeningUrl(child)
    const refused = await fetch(url + '/v1/batch', {
      method: 'POST',
      headers: { 'x-forwarded-for': '198.51.100.77' },
      body: JSON.stringify({
        writeKey: 'log-key',
        batch: [{ type: 'track', event: 'SECRET-PAYLOAD-42', anonymousId: 'a' }],
      }),
    })
    expect(refused.status).toBe(503)
    const exited = new Promise((resolve) => child.on('exit', resolve))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    const lines = out.trim().split('\n')
    const entries = lines.map((line) => JSON.parse(line) as { time: string; level: string; msg: string })
    for (const entry of entries)
      expect(entry).toMatchObject({
        time: expect.any(String),
        level: expect.stringMatching(/^(info|warn|error)$/),
        msg: expect.any(String),
      })
    expect(entries.map((e) => e.msg)).toEqual(
      expect.arrayContaining(['recovered files left open by a crash', 'sink not ready', 'stopped']),
    )
    expect(out).not.toContain('198.51.100')
    expect(out).not.toContain('SECRET-PAYLOAD-42')
  }, 30_000)

  it('on SIGTERM stops accepting, finishes the request in flight, publishes, and exits 0', async () => {
    const dir = await tempDir()
    const config = join(dir, 'spoor.config.json')
    await writeFile(config, JSON.stringify({ sites: [{ writeKey: 'term-key', origins: ['*'] }] }))
    const child = spawnSpoor([...serveOnFreePort, '--data', join(dir, 'data'), '--config', config, '--min-free', '0'])
    let out = ''
    child.stdout!.on('data', (chunk) => (out += chunk))
    const port = Number(new URL(await listeningUrl(child)).port)
    const body = JSON.stringify({ writeKey: 'term-key', batch: [event('in-flight')] })
    const socket = connect(port, '127.0.0.1')
    await new Promise((resolve) => socket.once('connect', resolve))
    let answer = ''
    socket.on('data', (chunk) => (answer += chunk))
    socket.on('error', (error) => (answer += `socket error: ${error.message}`))
    const closed = new Promise((resolve) => socket.once('close', resolve))
    socket.write(
      `POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    )
    socket.write(body.slice(0, 20))
    // Let the server parse the headers first: a connection without a request yet is idle, and closed at once.
    await new Promise((resolve) => setTimeout(resolve, 200))
    const exited = new Promise((resolve) => child.on('exit', resolve))
    child.kill('SIGTERM')
    await expect.poll(() => out, { timeout: 10_000 }).toContain('SIGTERM: finishing requests')
    // New connections are refused while the one in flight is still open.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow()
    socket.write(body.slice(20))
    await closed
    expect(answer).toMatch(/^HTTP\/1\.1 200 /)
    expect(await exited).toBe(0)
    expect((await readLines(join(dir, 'data'))).map((e) => e.messageId)).toEqual(['in-flight'])
  }, 30_000)
})

describe('the serve command when its terminal closes', () => {
  it('on SIGHUP stops as on SIGTERM: publishes its open file, releases the data folder, and exits 0', async () => {
    const dir = await tempDir()
    const config = join(dir, 'spoor.config.json')
    await writeFile(config, JSON.stringify({ sites: [{ writeKey: 'hup-key', origins: ['*'] }] }))
    const data = join(dir, 'data')
    const child = spawnSpoor([...serveOnFreePort, '--data', data, '--config', config, '--min-free', '0'])
    const url = await listeningUrl(child)
    const body = JSON.stringify({ writeKey: 'hup-key', batch: [event('before-hangup')] })
    expect((await fetch(`${url}/v1/batch`, { method: 'POST', body })).status).toBe(200)
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)))
    child.kill('SIGHUP')
    expect(await exited).toBe(0)
    const left = await readdir(data, { recursive: true })
    expect(left.filter((name) => name.endsWith('.open') || name === '.spoor.lock')).toEqual([])
    expect((await readLines(data)).map((e) => e.messageId)).toEqual(['before-hangup'])
  }, 30_000)
})

describe('the serve command on a disk with no room', () => {
  it('starts, refuses events with 503 while not ready, and takes them once there is room, without a restart', async (ctx) => {
    await onSmallDisk(ctx, '512k', async (mount) => {
      const dir = await tempDir()
      const config = join(dir, 'spoor.config.json')
      await writeFile(config, JSON.stringify({ sites: [{ writeKey: 'full-key', origins: ['*'] }] }))
      const data = join(mount, 'data')
      await fillDisk(mount)
      const child = spawnSpoor([...serveOnFreePort, '--data', data, '--config', config, '--min-free', '0'])
      let output = ''
      child.stdout!.on('data', (chunk) => (output += chunk))
      child.stderr!.on('data', (chunk) => (output += chunk))
      try {
        const url = await listeningUrl(child)
        const send = (id: string) =>
          fetch(`${url}/v1/batch`, {
            method: 'POST',
            body: JSON.stringify({ writeKey: 'full-key', batch: [event(id)] }),
          })
        expect((await fetch(`${url}/healthz`)).status).toBe(200)
        expect((await fetch(`${url}/readyz`)).status).toBe(503)
        expect((await send('while-full')).status).toBe(503)
        expect(output).toContain('"msg":"sink not ready: no room to start"')
        await freeDisk(mount)
        await expect.poll(async () => (await fetch(`${url}/readyz`)).status, { timeout: 10_000 }).toBe(200)
        expect((await send('with-room')).status).toBe(200)
      } finally {
        // One that exited (failing to start) is not waited for.
        const exited =
          child.exitCode === null
            ? new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)))
            : Promise.resolve(child.exitCode)
        child.kill('SIGTERM')
        expect(await exited).toBe(0)
      }
      expect((await readLines(data)).map((e) => e.messageId)).toEqual(['with-room'])
    })
  }, 60_000)
})

describe('mounted behind middleware of your own', () => {
  it('still reads the body when a middleware in front has read the request already', async () => {
    const { app: collector, sink, dataDir } = await testApp()
    const seen: string[] = []
    const app = new Hono()
    app.use(async (c, next) => {
      if (c.req.method === 'POST') seen.push(await c.req.raw.clone().text())
      await next()
    })
    app.route('/', collector)
    const server = await startServer({ app, sink, port: 0, hostname: '127.0.0.1' })
    const response = await fetch(server.url + '/v1/batch', {
      method: 'POST',
      body: JSON.stringify({ writeKey, batch: [event('behind')] }),
    })
    await server.close()
    expect(response.status).toBe(200)
    expect(seen).toHaveLength(1)
    expect((await readLines(dataDir)).map((e) => e.messageId)).toEqual(['behind'])
  })
})
