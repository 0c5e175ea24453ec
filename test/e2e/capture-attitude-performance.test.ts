import type { EventLine } from '@spoor/protocol'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../support/browser-suite.js'
import { readEvents, waitForEvents } from '../support/events.js'
import { freshPage } from './capture-support.js'

const suite = useBrowserSuite()

describe('NPS, surveys and reviews', () => {
  it('records NPS Submitted, Survey Responded and Product Reviewed, and refuses an out-of-range score', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.site.url + '/capture/article.html?feedback')
    await page.waitForFunction(() => (window as any).spoor.tracker)
    const refused = await page.evaluate(() => {
      try {
        ;(window as any).spoor('nps', 11)
        return 'accepted'
      } catch (error) {
        return String(error)
      }
    })
    expect(refused).toBe('RangeError: spoor: an NPS score is an integer from 0 to 10, not 11')
    await page.evaluate(() => {
      const spoor = (window as any).spoor
      spoor('nps', 9, 'Quick delivery')
      spoor('survey', 'onboarding', { role: 'developer' })
      spoor('review', 'pot-01', 4.5, 'Keeps tea hot')
    })
    const [score] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'NPS Submitted' && e.context.page?.search === '?feedback',
    )
    expect(score!.properties).toEqual({ score: 9, comment: 'Quick delivery' })
    const [answered] = await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Survey Responded')
    expect(answered!.properties).toEqual({ survey_id: 'onboarding', answers: { role: 'developer' } })
    const [reviewed] = await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Product Reviewed')
    expect(reviewed!.properties).toEqual({ product_id: 'pot-01', rating: 4.5, review_body: 'Keeps tea hot' })
    expect((await readEvents(suite.collector.dataDir)).filter((e) => e.event === 'NPS Submitted')).toHaveLength(1)
    await page.context().close()
  })

  it('shows the prompt from a chunk loaded from the collector, answerable by keyboard, and never again once answered', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.site.url + '/capture/article.html?prompt')
    await page.waitForFunction(() => (window as any).spoor.tracker)
    expect(await page.evaluate(() => document.querySelector('script[src$="/spoor-nps.js"]'))).toBeNull()
    await page.evaluate(() => (window as any).spoor('npsPrompt'))
    const dialog = page.getByRole('dialog', { name: 'How likely are you to recommend us to a friend or colleague?' })
    await dialog.waitFor()
    // The first score has the focus: Tab eight times reaches 8, Enter picks it.
    for (let i = 0; i < 8; i++) await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    expect(await dialog.getByRole('button', { name: '8' }).getAttribute('aria-pressed')).toBe('true')
    await dialog.getByLabel('Anything you would like to tell us?').fill('More green tea')
    await dialog.getByRole('button', { name: 'Send' }).click()
    await dialog.waitFor({ state: 'detached' })
    const [score] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'NPS Submitted' && e.context.page?.search === '?prompt',
    )
    expect(score!.properties).toEqual({ score: 8, comment: 'More green tea' })

    await page.reload()
    await page.waitForFunction(() => (window as any).spoor.tracker)
    await page.evaluate(() => (window as any).spoor('npsPrompt'))
    await page.waitForTimeout(500)
    expect(await page.getByRole('dialog').count()).toBe(0)
    await page.context().close()
  })

  it('is never shown again once dismissed (Escape)', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.site.url + '/capture/article.html?dismiss')
    await page.waitForFunction(() => (window as any).spoor.tracker)
    await page.evaluate(() => (window as any).spoor('npsPrompt'))
    await page.getByRole('dialog').waitFor()
    await page.keyboard.press('Escape')
    await page.getByRole('dialog').waitFor({ state: 'detached' })
    await page.evaluate(() => (window as any).spoor('npsPrompt'))
    await page.waitForTimeout(500)
    expect(await page.getByRole('dialog').count()).toBe(0)
    expect(await page.evaluate(() => localStorage.getItem('spoor.nps'))).toBe('dismissed')
    await page.context().close()
  })
})

describe('Core Web Vitals', () => {
  it('sends Web Vital events through the queue when the page is hidden', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.site.url + '/capture/article.html?vitals')
    // A buffered observer's records are there at once; getEntriesByType does not list largest-contentful-paint.
    const recorded = (types: string[]) =>
      page.waitForFunction((types) => {
        return types.every((type) => {
          const observer = new PerformanceObserver(() => {})
          observer.observe({ type, buffered: true })
          const found = observer.takeRecords().length > 0
          observer.disconnect()
          return found
        })
      }, types)
    // The largest paint is final at the first input: the click comes once the browser has recorded it, which on a
    // loaded machine can be well after the load event.
    await recorded(['paint', 'largest-contentful-paint'])
    await page.click('#track')
    await recorded(['first-input'])
    const ofThisPage = (names: string[]) => (e: EventLine) =>
      e.event === 'Web Vital' && e.context.page?.search === '?vitals' && names.includes(e.properties.name as string)
    // TTFB and FCP are final once measured, LCP at the first input: they leave with the next send, page visible.
    await waitForEvents(suite.collector.dataDir, ofThisPage(['TTFB', 'FCP', 'LCP']), { count: 3 })
    // CLS and INP are final only when the page is hidden: they leave with it, by beacon.
    await page.goto('about:blank')
    await waitForEvents(suite.collector.dataDir, ofThisPage(['CLS', 'INP']), { count: 2 })
    const vitals = (await readEvents(suite.collector.dataDir)).filter(ofThisPage(['TTFB', 'FCP', 'LCP', 'CLS', 'INP']))
    expect(new Set(vitals.map((e) => e.properties.name))).toEqual(new Set(['TTFB', 'FCP', 'LCP', 'CLS', 'INP']))
    for (const { properties } of vitals) {
      expect(properties).toEqual({
        name: expect.any(String),
        value: expect.any(Number),
        delta: expect.any(Number),
        rating: expect.stringMatching(/^(good|needs-improvement|poor)$/),
        id: expect.stringMatching(/^v\d-/),
        navigation_type: 'navigate',
      })
    }
    await page.context().close()
  })
})
