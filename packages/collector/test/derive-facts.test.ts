import { describe, expect, it } from 'vitest'
import { linesOfBatch } from '../../../test/support/helpers.js'

// What the browser sends since the collector derives the rest: the page's URL, title and referrer, and a click's
// link, coordinates and download attribute.
const page = { url: 'https://shop.example/tea/green?utm_source=news&q=1#reviews', title: 'Green tea', referrer: '' }
const click = (id: string, ms: number, properties: object) => ({
  type: 'track',
  event: 'Element Clicked',
  messageId: id,
  anonymousId: 'visitor-1',
  originalTimestamp: new Date(Date.UTC(2026, 2, 1, 10, 0, 0, ms)).toISOString(),
  context: { page },
  properties,
})

async function collect(events: object[], headers: Record<string, string> = {}) {
  return Object.fromEntries((await linesOfBatch(events, headers)).map((line) => [line.messageId, line]))
}

describe('facts the collector derives from what the browser sent', () => {
  it('reads a page’s path and query from its URL, puts a page event’s page fields in its properties, and takes the request’s agent', async () => {
    const lines = await collect(
      [{ type: 'page', messageId: 'p1', anonymousId: 'visitor-1', properties: { section: 'tea' }, context: { page } }],
      {
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0',
      },
    )
    expect(lines.p1!.context.page).toEqual({ ...page, path: '/tea/green', search: '?utm_source=news&q=1' })
    expect(lines.p1!.properties).toEqual({
      path: '/tea/green',
      search: '?utm_source=news&q=1',
      title: 'Green tea',
      referrer: '',
      url: page.url,
      section: 'tea',
    })
    expect(lines.p1!.context.userAgent).toBe('Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0')
  })

  it('flags outbound links and downloads, and the third click within a second on one spot as rage', async () => {
    const lines = await collect([
      click('c1', 0, { href: 'https://elsewhere.example/x', x: 10, y: 10, download: false }),
      click('c2', 100, { href: 'https://shop.example/files/menu.PDF?v=2', x: 12, y: 11, download: false }),
      click('c3', 200, { href: null, x: 11, y: 12, download: true }),
      click('c4', 1500, { href: null, x: 11, y: 12, download: false }),
      click('c5', 1550, { href: 'mailto:tea@shop.example', x: 300, y: 12, download: false }),
    ])
    const flags = (id: string) => [
      lines[id]!.properties.outbound,
      lines[id]!.properties.download,
      lines[id]!.properties.rage,
    ]
    expect(flags('c1')).toEqual([true, false, false])
    expect(flags('c2')).toEqual([false, true, false])
    expect(flags('c3')).toEqual([false, true, true])
    // Over a second after the one before: the count starts again.
    expect(flags('c4')).toEqual([false, false, false])
    // Not an http(s) link: never outbound; elsewhere on the page: not a repeat.
    expect(flags('c5')).toEqual([false, false, false])
  })
})
