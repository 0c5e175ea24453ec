import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createNdjsonSink } from '@spoor/log'
import type { Context } from 'hono'
import { describe, expect, it } from 'vitest'
import { faultyDisk } from '../../../../test/support/faulty-disk.js'
import { origin, tempDir, testApp, writeKey } from '../../../../test/support/helpers.js'
import { clientIpResolver, createApp, parseConfig } from '../../src/index.js'

const config = parseConfig({ sites: [{ writeKey, origins: [] }] })

describe('what a stranger can read or reach', () => {
  it('never serves a dotfile from --static, however its path is spelt', async () => {
    const site = await tempDir()
    await writeFile(join(site, 'index.html'), '<h1>shop</h1>')
    await writeFile(join(site, '.env'), 'SECRET=1')
    await mkdir(join(site, '.git'))
    await writeFile(join(site, '.git', 'config'), '[core]')
    await mkdir(join(site, 'a'))
    await writeFile(join(site, 'a', '.hidden'), 'x')
    const dataDir = await tempDir()
    const sink = createNdjsonSink({ dataDir })
    const app = createApp({ config, sink, snippetPath: '/nonexistent', staticDir: site })
    expect((await app.request('/index.html')).status).toBe(200)
    for (const path of ['/.env', '/%2eenv', '/%2Eenv', '/.git/config', '/a/.hidden', '/a/%2ehidden', '/a/..%2f.env']) {
      const response = await app.request(path)
      expect(response.status, path).toBe(404)
      expect(await response.text(), path).not.toContain('SECRET')
    }
    await sink.close()
  })

  it('never names the path of the data folder in a 503 or /readyz', async () => {
    const dataDir = await tempDir('spoor-secret-path-')
    const { disk, state } = faultyDisk(0)
    const sink = createNdjsonSink({ dataDir, disk, minFreeBytes: 0 })
    await sink.ready
    const app = createApp({ config, sink, snippetPath: '/nonexistent' })
    const post = () =>
      app.request('/v1/track', { method: 'POST', body: JSON.stringify({ writeKey, event: 'E', anonymousId: 'a' }) })
    expect((await post()).status).toBe(503)
    const answers = [await (await post()).text(), await (await app.request('/readyz')).text()]
    for (const text of answers) {
      expect(text).toMatch(/ENOSPC/)
      expect(text).not.toContain(dataDir)
      expect(text).not.toContain('spoor-secret-path')
    }
    state.capacity = 1e9
    await sink.close()
  })

  it('takes an X-Forwarded-For entry that is not an address as the socket peer, never as no address', () => {
    const resolve = clientIpResolver(1, () => '192.0.2.10')
    const header = (xff: string) => ({ req: { header: () => xff } }) as unknown as Context
    expect(resolve(header('198.51.100.7'))).toBe('198.51.100.7')
    for (const garbage of ['garbage', 'unknown', '999.1.1.1', '', '1.2.3.4.5', "'; DROP"])
      expect(resolve(header(garbage)), garbage).toBe('192.0.2.10')
  })
})

describe('the origin check', () => {
  it('does not take the Host header as proof: a DNS-rebinding page whose origin matches it is refused', async () => {
    const { app } = await testApp()
    const send = (url: string, origin: string) =>
      app.request(url, {
        method: 'POST',
        headers: { origin },
        body: JSON.stringify({ writeKey, event: 'E', anonymousId: 'a' }),
      })
    expect((await send('http://rebind.example:8787/v1/track', 'http://rebind.example:8787')).status).toBe(403)
    // The collector's own pages on this machine, and the site's listed origin, pass.
    expect((await send('http://localhost:41234/v1/track', 'http://localhost:41234')).status).toBe(200)
    expect((await send('http://127.0.0.1:41234/v1/track', 'http://127.0.0.1:41234')).status).toBe(200)
    expect((await send('http://collector.example/v1/track', origin)).status).toBe(200)
  })
})
