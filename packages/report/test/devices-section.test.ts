import { clientIpResolver, createApp, parseConfig } from '@spoor/collector'
import { createNdjsonSink } from '@spoor/log'
import { buildReport } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/helpers.js'

const config = parseConfig({ sites: [{ writeKey: 'shop-key', origins: [] }] })
const iphoneSafari =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'
const linuxFirefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'

/** One visitor's page view, sent from `ip` through one trusted proxy, with this agent and screen width. */
const visit = (visitor: string, ip: string, userAgent: string, width: number) => ({
  ip,
  event: { type: 'page', anonymousId: visitor, context: { userAgent, screen: { width, height: 800, density: 2 } } },
})

/** The report's `data-metric` values of one section, by name. */
function metrics(html: string, id: string): Record<string, number> {
  const section = new RegExp(`<section[^>]*data-section="${id}"[\\s\\S]*?</section>`).exec(html)![0]
  return Object.fromEntries(
    [...section.matchAll(/data-metric="([^"]+)" data-value="([^"]+)"/g)].map(([, name, value]) => [
      name!.replace(/&#39;/g, "'"),
      Number(value),
    ]),
  )
}

/**
 * The report of the batches a collector took, each from the address beside it (through one trusted proxy), at one
 * moment: the range only has to hold the events, which the collector timed by its clock.
 */
async function reportOf(requests: { ip: string; batch: object[] }[]) {
  const now = new Date('2026-03-02T10:00:00.000Z')
  const dataDir = await tempDir()
  const sink = createNdjsonSink({ dataDir, now: () => now })
  const clientIp = clientIpResolver(1, () => '10.0.0.2')
  const app = createApp({ config, sink, snippetPath: '/nonexistent', clientIp, now: () => now })
  for (const { ip, batch } of requests) {
    const response = await app.request('/v1/batch', {
      method: 'POST',
      headers: { 'x-forwarded-for': ip },
      body: JSON.stringify({ writeKey: 'shop-key', batch }),
    })
    expect(response.status).toBe(200)
  }
  await sink.close()
  return buildReport({ dataDir, from: new Date(now.getTime() - 3_600_000), to: new Date(now.getTime() + 60_000), now })
}

describe('the Countries and devices section', () => {
  it('counts visitors by country, browser, OS, device type and screen class', async () => {
    const { html } = await reportOf(
      [
        visit('a', '193.99.144.80', iphoneSafari, 390),
        visit('a', '193.99.144.80', iphoneSafari, 390),
        visit('b', '81.2.69.160', linuxFirefox, 1920),
        visit('c', '192.168.1.7', linuxFirefox, 1280),
        visit('d', '2003::1', linuxFirefox, 991),
        visit('e', '81.2.69.161', linuxFirefox, 575),
      ].map(({ ip, event }) => ({ ip, batch: [event] })),
    )
    // Regions and cities as the workspace's pinned city set (DB-IP's) names them.
    expect(metrics(html, 'devices')).toEqual({
      'country:DE': 2,
      'country:GB': 2,
      'country:(not set)': 1,
      'region:England, GB': 2,
      'region:Lower Saxony, DE': 1,
      'region:North Rhine-Westphalia, DE': 1,
      'region:(not set)': 1,
      'city:London, England, GB': 2,
      'city:Bonn (Gronau), North Rhine-Westphalia, DE': 1,
      'city:Hanover (Buchholz-Kleefeld), Lower Saxony, DE': 1,
      'city:(not set)': 1,
      'browser:Firefox': 4,
      'browser:Safari': 1,
      'os:Linux': 4,
      'os:iOS': 1,
      'device-type:desktop': 4,
      'device-type:mobile': 1,
      'screen:Mobile': 2,
      'screen:Tablet': 1,
      'screen:Laptop': 1,
      'screen:Desktop': 1,
    })
    expect(html).toContain('Germany (DE)')
    expect(html).toContain('United Kingdom (GB)')
    expect(html).toContain('<a href="https://db-ip.com">IP Geolocation by DB-IP</a>')
    // The map shades each country by its visitors, the most visited darkest; a file report links none.
    const map = /<svg class="world"[\s\S]*?<\/svg>/.exec(html)![0]
    expect(map).toMatch(/<path class="s5" d="M[^"]+"><title>Germany \(DE\): 2 visitors<\/title><\/path>/)
    expect(map).toMatch(/<path class="s5" d="M[^"]+"><title>United Kingdom \(GB\): 2 visitors<\/title><\/path>/)
    expect(map.match(/<title>/g)).toHaveLength(2)
    // A picture of the list below it, which carries the same links for screen readers and the keyboard.
    expect(map).toMatch(/^<svg class="world" viewBox="0 0 1000 \d+" aria-hidden="true">/)
    expect(map).not.toContain('<a ')
  })

  it('lists no regions or cities, and names no source of them, where no page view has one', async () => {
    // A backend's own country, kept as sent: nothing is looked up beside it (from a private address, nothing could).
    const page = { type: 'page', anonymousId: 'a', context: { userAgent: linuxFirefox, location: { country: 'FR' } } }
    const { html } = await reportOf([{ ip: '10.0.0.9', batch: [page] }])
    const names = Object.keys(metrics(html, 'devices'))
    expect(names).toContain('country:FR')
    expect(names.filter((name) => /^(region|city):/.test(name))).toEqual([])
    expect(html).not.toContain('db-ip.com')
    expect(html).not.toContain('<h3>Regions')
  })

  it('draws no map where no country has a shape, but lists every one', async () => {
    // Countries as senders write them: names, not codes (and 12 of them, past the list's ten), one the name of
    // what every object has (a shape looked up by it must not be found).
    const batch = Array.from({ length: 12 }, (_, i) => ({
      type: 'page',
      anonymousId: `v${i}`,
      context: {
        userAgent: linuxFirefox,
        location: { country: i ? `Land ${String(i).padStart(2, '0')}` : 'toString' },
      },
    }))
    const report = await reportOf([{ ip: '10.0.0.9', batch }])
    expect(report.html).not.toContain('<svg class="world"')
    expect(Object.keys(metrics(report.html, 'devices')).filter((name) => name.startsWith('country:'))).toHaveLength(10)
    // The CSV has them all.
    const csv = report.sections.find((s) => s.id === 'devices')!.csv!.rows
    expect(csv.filter((row) => row[0] === 'countries')).toHaveLength(12)
  })
})
