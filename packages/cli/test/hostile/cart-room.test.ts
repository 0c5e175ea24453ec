import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../../../test/support/helpers.js'
import { listeningUrl, serveOnFreePort, spawnSpoor } from '../../../../test/support/run-cli.js'
import { metric } from './small-heap-serve.js'

const browser = {
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/143.0.0.0 Safari/537.36',
}

/** `count` carts of the site, each its own visitor's, numbered from `from`. */
const carts = (writeKey: string, from: number, count: number) =>
  JSON.stringify({
    writeKey,
    batch: Array.from({ length: count }, (_, i) => ({
      type: 'track',
      event: 'Product Added',
      anonymousId: `visitor-${from + i}`,
      properties: { cart_id: `cart-${from + i}`, products: [{ product_id: 'tea', price: 4, quantity: 1 }] },
    })),
  })

describe('the live cart detector holds the room --max-carts gives it', () => {
  it('shares it equally among the sites, so that one site filling its share leaves the others theirs, and says so', async () => {
    const dir = await tempDir()
    const config = join(dir, 'spoor.config.json')
    await writeFile(
      config,
      JSON.stringify({
        sites: [
          { writeKey: 'shop-a', origins: [] },
          { writeKey: 'shop-b', origins: [] },
        ],
      }),
    )
    // A short window ticks the detector every 250 ms, so that its log line comes soon.
    const child = spawnSpoor([
      ...serveOnFreePort,
      ...['--data', join(dir, 'data'), '--config', config, '--min-free', '0'],
      ...['--max-carts', '6', '--cart-window', '1s'],
    ])
    let output = ''
    child.stdout!.on('data', (chunk) => (output += chunk))
    child.stderr!.on('data', (chunk) => (output += chunk))
    const exited = new Promise((resolve) => child.on('exit', resolve))
    try {
      const url = await listeningUrl(child)
      const send = (body: string) => fetch(url + '/v1/batch', { method: 'POST', headers: browser, body })
      // Site a sends five carts into its three; site b then has its own three.
      expect((await send(carts('shop-a', 0, 5))).status).toBe(200)
      expect((await send(carts('shop-b', 100, 3))).status).toBe(200)
      expect(await metric(url, 'spoor_carts_held')).toBe(6)
      expect(await metric(url, 'spoor_carts_refused')).toBe(2)
      const metrics = await (await fetch(url + '/metrics')).text()
      expect(metrics).toContain('at most 3 per site; --max-carts')
      await expect.poll(() => output, { timeout: 10_000 }).toContain('a site is at its room')
      expect(output).toMatch(/"refused":2\b/)
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  }, 30_000)
})
