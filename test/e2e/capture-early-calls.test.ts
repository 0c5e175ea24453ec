import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../support/browser-suite.js'
import { readEvents, waitForEvents } from '../support/events.js'
import { freshPage } from './capture-support.js'

const suite = useBrowserSuite()

/** The fixture page `/capture/<name>.html`, opened by a new visitor, and the errors it throws. */
async function open(name: string) {
  const page = await freshPage(suite.browser)
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(suite.site.url + `/capture/${name}.html?${name}`)
  return { page, errors }
}

const on = (name: string) => (e: { context: { page?: { search?: string } } }) => e.context.page?.search === `?${name}`

/**
 * What the page recorded, by name, in the order written: its calls and page views, not its clicks, nor the Web
 * Vitals the full tag reports when it likes (a busy machine's pages report some before the test reads the files).
 */
const recorded = async (name: string) =>
  (await readEvents(suite.collector.dataDir))
    .filter((e) => on(name)(e) && e.event !== 'Element Clicked' && e.event !== 'Web Vital')
    .map((e) => e.event ?? e.type)

describe('a spoor the page defined before the tag', () => {
  it('replays an array stub’s calls in order, before the page view, and keeps its push working', async () => {
    const { page, errors } = await open('array-stub')
    const [view] = await waitForEvents(suite.collector.dataDir, (e) => e.type === 'page' && on('array-stub')(e))
    expect(view!.userId).toBe('array-user')
    await page.click('#later')
    await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Pushed Later' && on('array-stub')(e))
    const names = await recorded('array-stub')
    expect(names).toEqual(['identify', 'Queued First', 'Queued Second', 'page', 'Pushed Later'])
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('runs a call made as the tag loads after the calls queued before it', async () => {
    const { page, errors } = await open('onload-call')
    await waitForEvents(suite.collector.dataDir, (e) => e.type === 'page' && on('onload-call')(e))
    await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Called On Load')
    const names = await recorded('onload-call')
    expect(names).toEqual(['Queued Before Load', 'Called On Load', 'page'])
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('starts one tracker when the tag comes twice after an array stub', async () => {
    const { page, errors } = await open('array-twice')
    await page.waitForFunction(() => [...document.scripts].filter((s) => s.src.includes('spoor')).length === 2)
    await page.click('#later')
    await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Pushed Later' && on('array-twice')(e))
    await page.waitForTimeout(1500)
    const names = await recorded('array-twice')
    expect(names.sort()).toEqual(['Pushed Later', 'Queued Once', 'page'])
    // Nor does any metric come twice, as it would from a second tracker.
    const vitals = (await readEvents(suite.collector.dataDir))
      .filter((e) => on('array-twice')(e) && e.event === 'Web Vital')
      .map((e) => (e.properties as { name: string }).name)
    expect(new Set(vitals).size).toBe(vitals.length)
    expect(errors).toEqual([])
    await page.context().close()
  })
})
