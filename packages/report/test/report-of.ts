import { createApp, parseConfig } from '@spoor/collector'
import { createNdjsonSink } from '@spoor/log'
import { buildReport, compactDays } from '@spoor/report'
import { expect } from 'vitest'
import { tempDir } from '../../../test/support/helpers.js'

const config = parseConfig({ sites: [{ writeKey: 'shop-key', origins: [] }] })

/** The moment the fixtures' times count from, a fixed one: the report's collector and its clock stand there. */
export const reportStart = new Date('2026-03-02T10:00:00.000Z')

/**
 * Writes events through the collector's HTTP API into real NDJSON files and builds the report over them. `start`
 * is the moment the events' `at(seconds)` count from and the collector's clock, which stamps events sent without a
 * time (default {@link reportStart}); the report covers an hour before it to three after.
 */
export async function reportOf(batch: object[], start = reportStart) {
  const dataDir = await tempDir()
  const now = () => start
  const sink = createNdjsonSink({ dataDir, now })
  const app = createApp({ config, sink, snippetPath: '/nonexistent', now })
  const response = await app.request('/v1/batch', {
    method: 'POST',
    body: JSON.stringify({ writeKey: 'shop-key', batch }),
  })
  expect(response.status).toBe(200)
  await sink.close()
  const report = await buildReport({ dataDir, ...rangeOf(start) })
  return { dataDir, ...report }
}

/** The range {@link reportOf} reports on: an hour before `start` to three after, the clock at `start`. */
const rangeOf = (start: Date) => ({
  from: new Date(start.getTime() - 3_600_000),
  to: new Date(start.getTime() + 3 * 3_600_000),
  now: start,
})

/** Compacts the one day {@link reportOf} wrote, that of `start`, and builds the same report over the compacted day. */
export async function compactedReportOf(dataDir: string, start = reportStart) {
  expect((await compactDays({ dataDir })).compacted.map((day) => day.day)).toEqual([start.toISOString().slice(0, 10)])
  return buildReport({ dataDir, ...rangeOf(start) })
}

/** A time `seconds` after `start`, as an event's ISO timestamp. */
export const after = (start: Date, seconds: number) => new Date(start.getTime() + seconds * 1000).toISOString()

/** The HTML of one section of the report. */
export const sectionOf = (html: string, id: string) => {
  const found = new RegExp(`<section[^>]*data-section="${id}"[\\s\\S]*?</section>`).exec(html)
  if (!found) throw new Error(`the report has no section "${id}"`)
  return found[0]
}

/** The exact value behind a `data-metric`, or undefined when the page does not show it. */
export const metricOf = (html: string, name: string) => {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const found = new RegExp(`data-metric="${escaped}" data-value="([^"]*)"`).exec(html)
  return found ? Number(found[1]) : undefined
}
