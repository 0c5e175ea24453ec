import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { publishedIds, writeKey } from './collector-files.js'
import { run } from './run-command.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
// The collector and what it depends on of ours; nothing of the report, email or carts.
const needed = ['protocol', 'log', 'snippet', 'collector'].map((name) => `packages/${name}`)

/** A shop that runs only the intake server: `@spoor/collector` installed from its tarball, as a library. */
describe('@spoor/collector installed alone', () => {
  let app: string
  beforeAll(async () => {
    app = await mkdtemp(join(tmpdir(), 'spoor-alone-'))
    await mkdir(join(app, 'tarballs'))
    const packed = await run(
      'npm',
      ['pack', ...needed.flatMap((dir) => ['-w', dir]), '--json', '--pack-destination', join(app, 'tarballs')],
      root,
    )
    expect(packed.code, packed.stderr).toBe(0)
    const tarballs = (JSON.parse(packed.stdout) as { name: string; filename: string }[]).map((pack) => [
      pack.name,
      `file:tarballs/${pack.filename}`,
    ])
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'spoor-intake-only',
        private: true,
        type: 'module',
        dependencies: Object.fromEntries(tarballs),
      }),
    )
    const installed = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], app)
    expect(installed.code, installed.stderr).toBe(0)
  })
  afterAll(() => app && rm(app, { recursive: true, force: true }))

  it('installs without DuckDB', () => {
    expect(existsSync(join(app, 'node_modules/@spoor/collector'))).toBe(true)
    expect(existsSync(join(app, 'node_modules/@duckdb'))).toBe(false)
  })

  it('serves events into NDJSON files with createApp, createNdjsonSink and startServer from it alone', async () => {
    const dataDir = join(app, 'data')
    await writeFile(
      join(app, 'serve.mjs'),
      `import { createApp, createNdjsonSink, parseConfig, startServer } from '@spoor/collector'
const config = parseConfig({ sites: [{ writeKey: ${JSON.stringify(writeKey)}, origins: [] }] })
const sink = createNdjsonSink({ dataDir: ${JSON.stringify(dataDir)} })
const server = await startServer({ app: createApp({ config, sink }), sink, port: 0, hostname: '127.0.0.1' })
const response = await fetch(server.url + '/v1/track', {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Basic ' + Buffer.from(${JSON.stringify(writeKey)} + ':').toString('base64') },
  body: JSON.stringify({ type: 'track', event: 'Intake Only', messageId: 'alone-1', anonymousId: 'a-1' }),
})
console.log(response.status)
await server.close()
`,
    )
    const served = await run(process.execPath, ['serve.mjs'], app)
    expect(served.stderr).toBe('')
    expect(served.stdout.trim()).toBe('200')
    expect(await publishedIds(dataDir)).toEqual(['alone-1'])
  })
})
