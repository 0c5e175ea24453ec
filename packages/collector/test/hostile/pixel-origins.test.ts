import { createMetrics, createNdjsonSink } from '@spoor/log'
import { describe, expect, it } from 'vitest'
import { readLines, tempDir } from '../../../../test/support/helpers.js'
import { createApp, parseConfig } from '../../src/index.js'

const config = parseConfig({
  sites: [
    { writeKey: 'shop-key', origins: ['https://shop.example'] },
    { writeKey: 'open-key', origins: ['https://blog.example'], pixelOrigins: 'any' },
  ],
})

describe("a site's pixel counts only on its own pages", () => {
  it("records a pixel shown by a listed page or with no page named, and not one another site's page shows", async () => {
    const dataDir = await tempDir()
    const sink = createNdjsonSink({ dataDir })
    const metrics = createMetrics()
    const app = createApp({ config, sink, metrics, snippetPath: '/nonexistent' })
    const show = (key: string, label: string, headers: Record<string, string>) =>
      app.request(`/p.gif?k=${key}&label=${label}`, { headers })
    for (const answer of [
      await show('shop-key', 'own-page', { referer: 'https://shop.example/tea' }),
      await show('shop-key', 'no-referer', {}),
      await show('shop-key', 'stranger', { referer: 'https://stranger.example/page' }),
      await show('shop-key', 'stranger-origin', { origin: 'https://stranger.example' }),
      await show('open-key', 'anywhere', { referer: 'https://stranger.example/page' }),
    ])
      expect(answer.status).toBe(200)
    await sink.close()
    expect((await readLines(dataDir)).map((line) => line.properties.label).sort()).toEqual([
      'anywhere',
      'no-referer',
      'own-page',
    ])
    expect(metrics.render()).toMatch(/^spoor_pixel_refused_origin_total 2$/m)
  })

  it('refuses a config whose pixelOrigins is neither check nor any', async () => {
    const bad = parseConfig({ sites: [{ writeKey: 'shop-key', origins: [], pixelOrigins: 'some' }] })
    const sink = createNdjsonSink({ dataDir: await tempDir() })
    expect(() => createApp({ config: bad, sink, snippetPath: '/x' })).toThrow(
      '"pixelOrigins" is "check" (the default) or "any"',
    )
    await sink.close()
  })
})
