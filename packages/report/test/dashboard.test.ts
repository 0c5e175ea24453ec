import { readFile } from 'node:fs/promises'
import { createApp, parseConfig, presentsToken } from '@spoor/collector'
import { createMetrics, createNdjsonSink } from '@spoor/log'
import { ConfigError } from '@spoor/protocol'
import { dashboard } from '@spoor/report'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { basic, tempDir } from '../../../test/support/helpers.js'

const token = 'a-dashboard-token-of-24-chars+'
const config = parseConfig({
  sites: [{ writeKey: 'shop-key', name: 'Leaf & Kettle', origins: [] }],
  dashboard: { token },
})

async function collectorWithData() {
  const dataDir = await tempDir()
  const sink = createNdjsonSink({ dataDir })
  const app = createApp({ config, sink, snippetPath: '/nonexistent' })
  await app.request('/v1/batch', {
    method: 'POST',
    body: JSON.stringify({
      writeKey: 'shop-key',
      batch: [{ type: 'page', anonymousId: 'a', properties: { path: '/<b>home</b>' } }],
    }),
  })
  await sink.close()
  const server = new Hono().route('/', app).route('/', dashboard({ config, dataDir, presentsToken }))
  return server
}

describe('/dashboard', () => {
  it('asks for the token, and shows the report to whoever has it', async () => {
    const app = await collectorWithData()
    const anonymous = await app.request('/dashboard')
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="spoor dashboard", charset="UTF-8"')
    expect((await app.request('/dashboard', { headers: { authorization: basic('x') } })).status).toBe(401)
    expect((await app.request('/dashboard', { headers: { authorization: 'Bearer ' + token.slice(1) } })).status).toBe(
      401,
    )

    const page = await app.request('/dashboard', {
      headers: { authorization: 'Basic ' + Buffer.from('any:' + token).toString('base64') },
    })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(page.headers.get('cache-control')).toBe('no-store')
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    const html = await page.text()
    expect(html).toContain('<h1>Leaf &amp; Kettle</h1>')
    expect(html).toMatch(/data-metric="pageviews" data-value="1"/)
    // What visitors sent is text on the page, never markup.
    expect(html).toContain('/&lt;b&gt;home&lt;/b&gt;')
    expect(html).not.toContain('<b>home</b>')

    const bearer = await app.request('/dashboard?site=shop-key&from=2020-01-01', {
      headers: { authorization: 'Bearer ' + token },
    })
    expect(bearer.status).toBe(200)
  }, 30_000)

  it('narrows every section to the filters of its query string', async () => {
    const app = await collectorWithData()
    const auth = { authorization: 'Bearer ' + token }
    const shown = async (query: string) =>
      /data-metric="pageviews" data-value="(\d+)"/.exec(
        await (await app.request(`/dashboard${query}`, { headers: auth })).text(),
      )?.[1] ?? 'none'
    expect(await shown(`?page=${encodeURIComponent('/<b>home</b>')}`)).toBe('1')
    expect(await shown('?source=(direct)')).toBe('1')
    // No session matches: the overview has nothing to show.
    expect(await shown('?page=/elsewhere')).toBe('none')
    expect(await shown(`?source=${encodeURIComponent("' OR 1=1 --")}`)).toBe('none')
  }, 30_000)

  it('refuses an unknown site or a bad date with a reason', async () => {
    const app = await collectorWithData()
    const auth = { authorization: 'Bearer ' + token }
    const site = await app.request('/dashboard?site=nope', { headers: auth })
    expect(site.status).toBe(400)
    expect(await site.json()).toMatchObject({ error: 'no site with key "nope" in the config' })
    const date = await app.request('/dashboard?from=yesterday', { headers: auth })
    expect(date.status).toBe(400)
    expect((await date.json()).error).toContain('"yesterday" is not a date')
    // A browser gets a page saying why, with a way back to a view that answers, under the dashboard's own policy.
    const browser = { ...auth, accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }
    const reversed = await app.request('/dashboard?site=shop-key&from=2026-03-10&to=2026-03-02&source=Google', {
      headers: browser,
    })
    expect(reversed.status).toBe(400)
    expect(reversed.headers.get('content-type')).toMatch(/^text\/html/)
    expect(reversed.headers.get('content-security-policy')).toContain("default-src 'none'")
    const page = await reversed.text()
    expect(page).toContain('<title>View not shown · spoor report</title>')
    expect(page).toMatch(/role="alert"><p>from \(2026-03-10\) must come before the end of [^<]*2026-03-02[^<]*\.<\/p>/)
    expect(page).toContain('<a href="dashboard?site=shop-key">Open the last 30 days instead</a>')
    // A site the config does not have is not linked back to.
    const unknownSite = await (await app.request('/dashboard?site=%3Cnope%3E', { headers: browser })).text()
    expect(unknownSite).toContain('no site with key &quot;&lt;nope&gt;&quot; in the config.')
    expect(unknownSite).toContain('<a href="dashboard">Open the last 30 days instead</a>')
  }, 30_000)

  it('is off without a dashboard section, and refuses a short token', async () => {
    const off = dashboard({
      config: parseConfig({ sites: [{ writeKey: 'shop-key', origins: [] }] }),
      dataDir: await tempDir(),
      presentsToken,
    })
    const response = await off.request('/dashboard')
    expect(response.status).toBe(404)
    expect((await response.json()).error).toContain('add {"dashboard": {"token": "…"}} to the config')
    expect(() =>
      dashboard({
        config: parseConfig({ sites: [{ writeKey: 'k12', origins: [] }], dashboard: { token: 'short' } }),
        dataDir: '.',
        presentsToken,
      }),
    ).toThrow(ConfigError)
  }, 30_000)

  it('is counted in spoor_requests_total like every other route, when served beside the collector', async () => {
    const dataDir = await tempDir()
    const sink = createNdjsonSink({ dataDir })
    const metrics = createMetrics()
    const app = createApp({
      config,
      sink,
      metrics,
      snippetPath: '/nonexistent',
      routes: [dashboard({ config, dataDir, presentsToken })],
    })
    expect((await app.request('/dashboard')).status).toBe(401)
    expect(metrics.render()).toContain('spoor_requests_total{route="/dashboard",status="401"} 1')
    await sink.close()
  })

  it("shows a share's token its one site only, and nothing else the dashboard's token opens", async () => {
    const shareToken = 'a-client-share-token-of-24+'
    const twoSites = parseConfig({
      sites: [
        { writeKey: 'shop-key', name: 'Leaf & Kettle', origins: [] },
        { writeKey: 'blog-key', name: 'Tea Notes', origins: [] },
      ],
      dashboard: { token, shares: [{ token: shareToken, site: 'blog-key' }] },
    })
    const dataDir = await tempDir()
    const sink = createNdjsonSink({ dataDir })
    const app = createApp({
      config: twoSites,
      sink,
      snippetPath: '/nonexistent',
      routes: [dashboard({ config: twoSites, dataDir, presentsToken })],
    })
    for (const writeKey of ['shop-key', 'blog-key']) {
      const batch = [{ type: 'page', anonymousId: writeKey, properties: { path: `/${writeKey}` } }]
      await app.request('/v1/batch', { method: 'POST', body: JSON.stringify({ writeKey, batch }) })
    }
    await sink.close()
    const as = (who: string) => ({ headers: { authorization: `Bearer ${who}` } })
    const shared = await app.request('/dashboard?from=2020-01-01', as(shareToken))
    expect(shared.status).toBe(200)
    const html = await shared.text()
    expect(html).toContain('<h1>Tea Notes</h1>')
    expect(html).toContain('/blog-key')
    expect(html).not.toContain('/shop-key')
    // Its links keep the site, so a click stays within what the token shows.
    expect(html).toContain('href="dashboard?site=blog-key&amp;period=today"')
    const other = await app.request('/dashboard?site=shop-key', as(shareToken))
    expect(other.status).toBe(403)
    expect((await other.json()).error).toBe('this link shows the site "blog-key" only')
    expect((await app.request('/dashboard.csv?panel=top-pages&site=shop-key', as(shareToken))).status).toBe(403)
    const csv = await app.request('/dashboard.csv?panel=top-pages&from=2020-01-01', as(shareToken))
    expect(await csv.text()).toContain('top,/blog-key,1,1')
    expect((await app.request('/dashboard.json?site=shop-key', as(shareToken))).status).toBe(403)
    const json = await (await app.request('/dashboard.json?panel=top-pages&from=2020-01-01', as(shareToken))).json()
    expect(json.site).toBe('blog-key')
    expect(json.panels['top-pages']).toContainEqual({ list: 'top', path: '/blog-key', count: 1, visitors: 1 })
    // The metrics, read from elsewhere, are the dashboard token's (no metrics section): not a share's.
    const metricsAs = (who: string) =>
      app.request('/metrics', { headers: { authorization: `Bearer ${who}`, 'x-forwarded-for': '203.0.113.9' } })
    expect((await metricsAs(shareToken)).status).toBe(401)
    expect((await metricsAs(token)).status).toBe(200)
    // The owner's token still shows every site.
    expect(await (await app.request('/dashboard?from=2020-01-01', as(token))).text()).toContain('/shop-key')
  }, 30_000)

  it('refuses a share that cannot be read, naming the form to write', async () => {
    // The README's example, as a reader copies it beside the dashboard's token.
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8')
    const example = JSON.parse(/`"shares": (\[[^`]+\])`/.exec(readme.replaceAll('\n', ' '))![1]!)
    const copied = parseConfig({ sites: [{ writeKey: 'KEY', origins: [] }], dashboard: { token, shares: example } })
    expect(() => dashboard({ config: copied, dataDir: '.', presentsToken })).not.toThrow()
    const withShares = (shares: unknown) => () =>
      dashboard({
        config: parseConfig({ sites: [{ writeKey: 'shop-key', origins: [] }], dashboard: { token, shares } }),
        dataDir: '.',
        presentsToken,
      })
    expect(withShares([{ token: 'short', site: 'shop-key' }])).toThrow(
      'dashboard.shares[0].token must be a string of 24',
    )
    expect(withShares([{ token: token, site: 'shop-key' }])).toThrow('dashboard.shares[0].token is used twice')
    expect(withShares([{ token: 'x'.repeat(24), site: 'nope' }])).toThrow(
      "dashboard.shares[0].site must be the writeKey of one of the config's sites",
    )
    expect(withShares({ token })).toThrow('dashboard.shares must be a list like')
  })
})
