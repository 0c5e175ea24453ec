import { buildReport } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../test/support/compacted-data.js'
import { tempDir } from '../../../test/support/helpers.js'
import { metricOf, sectionOf } from './report-of.js'

const now = new Date('2026-03-02T12:00:00.000Z')

describe('the click heatmap at a busy site', () => {
  it("draws a page's clicks as counts per cell: its size does not grow with them, and the busiest spot is darkest", async () => {
    const dataDir = await tempDir()
    const clicks: string[] = []
    // 20,000 clicks spread over a 1280 × 2560 page, and 1,000 more on one button.
    for (let i = 0; i < 21_000; i++) {
      const x = i < 20_000 ? (i * 7919) % 1280 : 640
      const y = i < 20_000 ? (i * 104_729) % 2560 : 320
      const line = JSON.parse(
        eventLine(`c${i}`, '2026-03-02T10:00:00.000Z', { anonymousId: `v${i % 500}`, event: 'Element Clicked' }),
      )
      line.context.page = { path: '/home', url: 'https://shop.example/home' }
      line.properties = { x, y, page_width: 1280, page_height: 2560, selector: 'a', tag: 'a', text: 'Go' }
      clicks.push(JSON.stringify(line))
    }
    await writeDataFile(dataDir, '2026-03-02T10:00:00.000Z', clicks)
    const { html } = await buildReport({ dataDir, from: new Date('2026-03-02T00:00:00.000Z'), to: now, now })
    const heat = sectionOf(html, 'heatmap')
    expect(metricOf(heat, 'heatmap-clicks:/home')).toBe(21_000)
    // A 40 × 64 grid at most (the page is twice as tall as wide, drawn at 1.6 at most): one blob a cell.
    const blobs = [...heat.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="34"[^>]*fill-opacity="([\d.]+)"/g)]
    expect(blobs.length).toBeGreaterThan(1000)
    expect(blobs.length).toBeLessThanOrEqual(40 * 64)
    expect(heat.length).toBeLessThan(400_000)
    // No dot for each of that many cells (a quiet page's cells have one: report-sections.test.ts).
    expect(heat).not.toContain('class="click-dot"')
    // The button's cell, (640, 320) of 1280 × 2560: column 20 of 40, row 8 of 64, drawn on 560 × 896.
    const darkest = blobs.reduce((a, b) => (Number(b[3]) > Number(a[3]) ? b : a))
    expect([Number(darkest[1]), Number(darkest[2]), Number(darkest[3])]).toEqual([287, 119, 1])
  }, 60_000)
})
