import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../support/browser-suite.js'
import { readEvents } from '../support/events.js'

const suite = useBrowserSuite()
const rounds = 10
const perBatch = 30

describe('a page that sends the same batch twice at the same moment', () => {
  it('gets 2xx for both copies, and the files hold each event once', async () => {
    const page = await (await suite.browser.newContext()).newPage()
    await page.goto(suite.site.url + '/index.html?copies')
    // As a buggy or retrying client does: the same body, on two connections at once (one of them a keepalive
    // fetch, as at unload), each round a new batch.
    const statuses = await page.evaluate(
      async ({ endpoint, rounds, perBatch }) => {
        const answers: number[][] = []
        for (let round = 0; round < rounds; round++) {
          const batch = Array.from({ length: perBatch }, (_, i) => ({
            type: 'track',
            event: 'Copied Batch',
            anonymousId: 'copying-client',
            messageId: `copy-${round}-${i}`,
            properties: { round, i },
          }))
          const body = JSON.stringify({ writeKey: 'e2e-key', sentAt: new Date().toISOString(), batch })
          const send = (keepalive: boolean) =>
            fetch(endpoint + '/v1/batch', {
              method: 'POST',
              body,
              keepalive,
              headers: { 'Content-Type': 'text/plain' },
            }).then((r) => r.status)
          answers.push(await Promise.all([send(false), send(true)]))
        }
        return answers
      },
      { endpoint: suite.collector.url, rounds, perBatch },
    )
    await page.context().close()
    expect(statuses).toEqual(Array.from({ length: rounds }, () => [200, 200]))

    // Stopping publishes every open file: nothing written can still be on its way.
    await suite.collector.stop()
    const copied = (await readEvents(suite.collector.dataDir)).filter((e) => e.event === 'Copied Batch')
    const counts = new Map<string, number>()
    for (const event of copied) counts.set(event.messageId, (counts.get(event.messageId) ?? 0) + 1)
    expect({
      events: copied.length,
      ids: counts.size,
      repeated: [...counts.values()].filter((n) => n > 1).length,
    }).toEqual({
      events: rounds * perBatch,
      ids: rounds * perBatch,
      repeated: 0,
    })
  })
})
