import { readFile, stat, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { createApp, parseConfig } from '@spoor/collector'
import { createNdjsonSink } from '@spoor/log'
import { describe, expect, it } from 'vitest'
import { ndjsonFiles, tempDir } from '../../../test/support/helpers.js'
import { runSpoor } from '../../../test/support/run-cli.js'

const config = parseConfig({ sites: [{ writeKey: 'shop-key', origins: [] }] })

/** A data folder with Ada (two devices, one shared with Bob), Bob and Carol, spread over several small files. */
async function dataWithAda() {
  const dataDir = await tempDir()
  const sink = createNdjsonSink({ dataDir, maxFileBytes: 1500 })
  const app = createApp({ config, sink, snippetPath: '/nonexistent' })
  const send = (batch: object[]) =>
    app.request('/v1/batch', { method: 'POST', body: JSON.stringify({ writeKey: 'shop-key', batch }) })
  const page = (anonymousId: string, path: string, userId?: string) => ({
    type: 'page',
    anonymousId,
    userId,
    properties: { path },
  })
  await send([page('dev-c', '/'), page('dev-c', '/tea', 'carol'), page('dev-c', '/pot', 'carol')])
  await send([page('dev-a1', '/'), page('dev-a1', '/tea')])
  await send([
    { type: 'identify', anonymousId: 'dev-a1', userId: 'ada', traits: { email: 'Ada@Example.com', name: 'Ada' } },
  ])
  await send([
    {
      type: 'track',
      event: 'Product Added',
      anonymousId: 'dev-a1',
      userId: 'ada',
      properties: { cart_id: 'c1', products: [] },
      context: { traits: { email: 'Ada@Example.com' } },
    },
  ])
  await send([page('dev-a2', '/account', 'ada'), page('dev-a2', '/orders', 'ada')])
  // Bob signs in on the device Ada used.
  await send([
    page('dev-a1', '/bob-home', 'bob'),
    {
      type: 'track',
      event: 'Survey Responded',
      anonymousId: 'dev-a1',
      userId: 'bob',
      properties: { survey_id: 's', answers: { q: 'fine' } },
    },
  ])
  await send([page('dev-c', '/cup', 'carol')])
  // A refused event (no event name) that names Ada; and one of Carol's.
  await send([
    { type: 'track', userId: 'ada', properties: { email: 'ada@example.com' } },
    { type: 'track', userId: 'carol' },
  ])
  await sink.close()
  return dataDir
}

async function snapshot(dataDir: string) {
  const files = new Map<string, { text: string; inode: number; mtime: number }>()
  for (const file of await ndjsonFiles(dataDir)) {
    const info = await stat(file)
    files.set(relative(dataDir, file), { text: await readFile(file, 'utf8'), inode: info.ino, mtime: info.mtimeMs })
  }
  return files
}

// The test's own reading of "Ada's lines": written independently of the erasure code.
const isAdas = (text: string) => {
  const line = JSON.parse(text)
  if (/ada@example\.com/i.test(text)) return true
  if (line.raw !== undefined) return /"ada"/.test(line.raw)
  return line.userId === 'ada' || (line.userId === null && ['dev-a1', 'dev-a2'].includes(line.anonymousId))
}

describe('spoor erase', () => {
  it('removes every line of the person, keeps every other line byte for byte, and leaves other files untouched', async () => {
    const dataDir = await dataWithAda()
    const before = await snapshot(dataDir)
    expect(before.size).toBeGreaterThan(3)

    const { code, stdout, stderr } = await runSpoor(['erase', dataDir, '--email', 'ADA@example.com'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toMatch(/^removed 7 line\(s\) from \d+ file\(s\)/)
    expect(stdout).toMatch(/user ids: +ada\n/)
    expect(stdout).toMatch(/anonymous ids: +dev-a1, dev-a2\n/)

    const after = await snapshot(dataDir)
    let untouched = 0
    for (const [name, file] of before) {
      const lines = file.text.split(/(?<=\n)/)
      const expected = lines.filter((line) => !isAdas(line)).join('')
      if (expected === file.text) {
        // Not a byte changed, and not even rewritten.
        expect(after.get(name)).toEqual(file)
        untouched++
      } else if (expected === '') {
        expect(after.has(name)).toBe(false)
      } else {
        expect(after.get(name)?.text).toBe(expected)
      }
    }
    expect(untouched).toBeGreaterThan(0)
    expect([...after.keys()].every((name) => before.has(name))).toBe(true)

    const everything = [...after.values()].map((f) => f.text).join('')
    expect(everything).not.toMatch(/ada@example\.com|"ada"|dev-a2/i)
    // Bob's lines on the shared device are Bob's: they stay.
    const shared = everything
      .split('\n')
      .filter((l) => l.includes('dev-a1'))
      .map((l) => JSON.parse(l).userId)
    expect(shared).toEqual(['bob', 'bob'])
    expect(everything).toContain('carol')
  }, 30_000)

  it('changes nothing on a dry run, and says when a file still being written holds the person', async () => {
    const dataDir = await dataWithAda()
    const before = await snapshot(dataDir)
    const dry = await runSpoor(['erase', dataDir, '--user', 'ada', '--dry-run'])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/^would remove 7 line\(s\)/)
    expect(await snapshot(dataDir)).toEqual(before)

    const [first] = await ndjsonFiles(join(dataDir, 'events'))
    const open = first!.replace(/\.ndjson$/, '-later.ndjson.open')
    await writeFile(
      open,
      JSON.stringify({
        messageId: 'x',
        type: 'page',
        userId: 'ada',
        anonymousId: null,
        properties: {},
        traits: {},
        context: {},
      }) + '\n',
    )
    const run = await runSpoor(['erase', dataDir, '--user', 'ada'])
    expect(run.code).toBe(3)
    expect(run.stdout).toContain(`still being written, not erased yet: ${relative(dataDir, open)}`)
    expect(await readFile(open, 'utf8')).toContain('"ada"')
  }, 30_000)

  it('explains what it needs', async () => {
    const dataDir = await tempDir()
    const none = await runSpoor(['erase', dataDir])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('name the person with exactly one of --user, --anonymous-id, --email')
    const bad = await runSpoor(['erase', dataDir, '--email', 'not-an-email'])
    expect(bad.stderr).toContain('--email not-an-email is not an email address')
  }, 30_000)
})
