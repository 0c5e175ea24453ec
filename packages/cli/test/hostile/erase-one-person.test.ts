import { createApp, parseConfig } from '@spoor/collector'
import { createNdjsonSink } from '@spoor/log'
import { describe, expect, it } from 'vitest'
import { readLines, tempDir } from '../../../../test/support/helpers.js'
import { runSpoor } from '../../../../test/support/run-cli.js'

const config = parseConfig({ sites: [{ writeKey: 'shop-key', origins: [] }] })

/** A shop's data: the victim's own history, and whatever `extra` sends on top. */
async function shopData(extra: (app: ReturnType<typeof createApp>) => unknown) {
  const dataDir = await tempDir()
  const sink = createNdjsonSink({ dataDir })
  const app = createApp({ config, sink, snippetPath: '/nonexistent' })
  const send = (batch: object[]) =>
    app.request('/v1/batch', { method: 'POST', body: JSON.stringify({ writeKey: 'shop-key', batch }) })
  await send([
    { type: 'identify', anonymousId: 'victim-device', userId: 'victim', traits: { email: 'victim@example.com' } },
    { type: 'page', anonymousId: 'victim-device', userId: 'victim', properties: { path: '/tea' } },
    {
      type: 'track',
      event: 'Order Completed',
      anonymousId: 'victim-device',
      userId: 'victim',
      properties: { order_id: 'o-1', value: 30 },
    },
    { type: 'page', anonymousId: 'stranger-device', properties: { path: '/' } },
  ])
  await extra(app)
  await sink.close()
  return dataDir
}

const victimLines = async (dataDir: string) =>
  (await readLines(dataDir)).filter((line) => line.userId === 'victim' || line.anonymousId === 'victim-device')

// Each test runs the real command a few times (a process each).
describe('erasure removes exactly one person', { timeout: 60_000 }, () => {
  it('never takes a user\u2019s history through a line a stranger forged beside their id', async () => {
    const dataDir = await shopData(async (app) => {
      // The pixel redacts an email in its query; the event API keeps what a track's properties say.
      await app.request('/p.gif?k=shop-key&uid=victim&aid=stranger-device&email=stranger@example.com')
      await app.request('/v1/track', {
        method: 'POST',
        body: JSON.stringify({
          writeKey: 'shop-key',
          event: 'Shared',
          userId: 'victim',
          properties: { email: 'stranger@example.com' },
        }),
      })
    })
    const run = await runSpoor(['erase', dataDir, '--email', 'stranger@example.com'])
    expect(run.code, run.stderr).toBe(0)
    const left = await victimLines(dataDir)
    expect(left.map((line) => line.type + ' ' + (line.event ?? ''))).toEqual(
      expect.arrayContaining(['identify ', 'page ', 'track Order Completed']),
    )
    expect(JSON.stringify(await readLines(dataDir))).not.toContain('stranger@example.com')
  })

  it('asks, and changes nothing unless told, when a forged identify ties another account to the email', async () => {
    const dataDir = await shopData((app) =>
      app.request('/v1/identify', {
        method: 'POST',
        body: JSON.stringify({
          writeKey: 'shop-key',
          userId: 'victim',
          anonymousId: 'stranger-device',
          traits: { email: 'stranger@example.com' },
        }),
      }),
    )
    const before = await readLines(dataDir)
    const asked = await runSpoor(['erase', dataDir, '--email', 'stranger@example.com'])
    expect(asked.code).toBe(4)
    expect(asked.stderr).toContain('user id victim also declared victim@example.com')
    expect(asked.stderr).toContain('nothing was changed')
    expect(await readLines(dataDir)).toEqual(before)
    // Only the lines that carry the email itself, when asked for exactly that.
    const exact = await runSpoor(['erase', dataDir, '--email', 'stranger@example.com', '--exact'])
    expect(exact.code, exact.stderr).toBe(0)
    expect(await victimLines(dataDir)).toHaveLength(3)
  })

  it('finds the email inside page URLs and Referers, and a numeric user id in refused events', async () => {
    const dataDir = await shopData(async (app) => {
      await app.request('/v1/batch', {
        method: 'POST',
        body: JSON.stringify({
          writeKey: 'shop-key',
          batch: [
            {
              type: 'page',
              anonymousId: 'a-1',
              context: { page: { url: 'https://shop.example/welcome?email=ada%40example.com' } },
            },
            {
              type: 'page',
              anonymousId: 'a-2',
              context: { page: { referrer: 'https://mail.example/read?to=Ada@Example.com&x=1' } },
            },
            { type: 'track', userId: 4242, properties: { reason: 'no event name: refused' } },
          ],
        }),
      })
    })
    const byEmail = await runSpoor(['erase', dataDir, '--email', 'ada@example.com', '--exact'])
    expect(byEmail.code, byEmail.stdout + byEmail.stderr).toBe(0)
    expect(JSON.stringify(await readLines(dataDir)).toLowerCase()).not.toMatch(/ada(@|%40)example\.com/)
    expect(await readLines(dataDir, 'rejected')).toHaveLength(1)
    const byUser = await runSpoor(['erase', dataDir, '--user', '4242'])
    expect(byUser.code, byUser.stdout + byUser.stderr).toBe(0)
    expect(await readLines(dataDir, 'rejected')).toHaveLength(0)
    expect(await victimLines(dataDir)).toHaveLength(3)
  })
})
