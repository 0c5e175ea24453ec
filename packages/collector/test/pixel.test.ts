import { createMetrics } from '@spoor/log'
import { type EventSink, transparentGif } from '@spoor/protocol'
import { describe, expect, it } from 'vitest'
import { alwaysReady, readLines, testApp, writeKey } from '../../../test/support/helpers.js'

describe('GET /p.gif', () => {
  it('is the 43-byte transparent GIF89a, never cached, with no cookie', async () => {
    const { app } = await testApp()
    const response = await app.request(`/p.gif?k=${writeKey}`)
    expect(response.status).toBe(200)
    const body = new Uint8Array(await response.arrayBuffer())
    expect(body).toEqual(transparentGif)
    expect(body.length).toBe(43)
    expect(new TextDecoder().decode(body.slice(0, 6))).toBe('GIF89a')
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'image/gif',
      'content-length': '43',
      'cache-control': 'no-cache, no-store, must-revalidate, max-age=0',
      pragma: 'no-cache',
      expires: '0',
    })
    expect(response.headers.get('set-cookie')).toBeNull()
  })

  it('records a page view, or the event named by e, with the other parameters as properties', async () => {
    const { app, sink, dataDir } = await testApp()
    await app.request(`/p.gif?k=${writeKey}`, {
      headers: { referer: 'https://shop.example/noscript', 'user-agent': 'UA/1' },
    })
    await app.request(`/p.gif?k=${writeKey}&e=Email%20Opened&uid=u7&campaign_id=spring&email_id=e1`)
    await sink.close()
    const [page, open] = await readLines(dataDir)
    expect(page).toMatchObject({
      type: 'page',
      context: { page: { url: 'https://shop.example/noscript' }, userAgent: 'UA/1' },
    })
    expect(page!.anonymousId).toMatch(/^[0-9a-f-]{36}$/)
    expect(open).toMatchObject({
      type: 'track',
      event: 'Email Opened',
      userId: 'u7',
      properties: { campaign_id: 'spring', email_id: 'e1' },
    })
  })

  it('answers HEAD with the headers and no body', async () => {
    const { app } = await testApp()
    const response = await app.request(`/p.gif?k=${writeKey}`, { method: 'HEAD' })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/gif')
    expect((await response.arrayBuffer()).byteLength).toBe(0)
  })

  it('still answers the image for an unknown key or a failing disk, and counts the failure', async () => {
    const broken: EventSink = {
      write: () => Promise.reject(new Error('ENOSPC')),
      reject: () => Promise.resolve(),
      close: () => Promise.resolve(),
      health: alwaysReady,
    }
    const metrics = createMetrics()
    const { app } = await testApp({ sink: broken, metrics })
    for (const url of ['/p.gif?k=unknown', `/p.gif?k=${writeKey}`]) {
      const response = await app.request(url)
      expect(response.status).toBe(200)
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(transparentGif)
    }
    expect(metrics.snapshot()).toEqual({ pixel_unknown_key: 1, pixel_record_failures: 1 })
  })

  it('answers without waiting for the disk, and still writes the event', async () => {
    let release!: () => void
    const stalled: EventSink = {
      write: () => new Promise<void>((resolve) => (release = resolve)),
      reject: () => Promise.resolve(),
      close: () => Promise.resolve(),
      health: alwaysReady,
    }
    const metrics = createMetrics()
    const { app } = await testApp({ sink: stalled, metrics })
    const response = await app.request(`/p.gif?k=${writeKey}`)
    expect(response.status).toBe(200)
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(transparentGif)
    expect(release).toBeTypeOf('function')
    release()
    expect(metrics.snapshot()).toEqual({})
  })

  it('counts a pixel that would pass the in-flight budget instead of holding it, and still answers the image', async () => {
    const metrics = createMetrics()
    const { app, sink, dataDir } = await testApp({ metrics, maxInFlightBytes: 100 })
    const response = await app.request(`/p.gif?k=${writeKey}`)
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(transparentGif)
    expect(metrics.snapshot()).toMatchObject({ pixel_record_failures: 1 })
    await sink.close()
    expect(await readLines(dataDir)).toEqual([])
  })
})
