import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { testApp, writeKey } from '../../../../test/support/helpers.js'

/** Every byte the collector wrote under a data folder (events and rejected, open or published). */
async function everythingWritten(dataDir: string) {
  let text = ''
  for (const entry of await readdir(dataDir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.includes('.ndjson'))
      text += await readFile(join(entry.parentPath, entry.name), 'utf8')
  }
  return text
}

// Secrets a stranger's page or link may carry, each spelt so that any trace of it is unmistakable.
const secrets = ['tok-9f8e7d', 'pw-hunter22', 'ada.lovelace@example.com', 'ses-5a4b3c', '198.51.100.77']

describe('privacy rules hold on every path', () => {
  it('keeps no secret, email or full address from a pixel, its Referer, or a refused event', async () => {
    const { app, sink, dataDir } = await testApp()
    const pixel = `/p.gif?k=${writeKey}&e=Viewed&access_token=${secrets[0]}&password=${secrets[1]}&contact=${encodeURIComponent(secrets[2]!)}&q=green+tea`
    const referer = `https://shop.example/account?session=${secrets[3]}&email=${encodeURIComponent(secrets[2]!)}&page=2`
    expect((await app.request(pixel, { headers: { referer } })).status).toBe(200)
    // A server library's event refused for its missing name, with the end user's address in context.ip.
    const refused = await app.request('/v1/batch', {
      method: 'POST',
      body: JSON.stringify({ writeKey, batch: [{ type: 'track', userId: 'u1', context: { ip: secrets[4] } }] }),
    })
    expect(refused.status).toBe(400)
    await expect.poll(async () => (await everythingWritten(dataDir)).includes('green tea')).toBe(true)
    await sink.close()
    const written = await everythingWritten(dataDir)
    for (const secret of secrets) expect(written, secret).not.toContain(secret)
    expect(written).not.toContain('ada.lovelace%40example.com')
    // What is not secret is kept: the search, the page number, the masked address.
    expect(written).toContain('page=2')
    expect(written).toContain('198.51.0.0')
  })
})
