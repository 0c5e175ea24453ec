import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listeningUrl } from '../support/run-cli.js'
import { eventFiles, publishedIds, sendEvent, writeSiteConfig } from './collector-files.js'
import { type Manifest, matchesFilesEntry, packageOf, pointedFiles } from './packed-manifest.js'
import { run, start } from './run-command.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const publishable = ['protocol', 'log', 'stream', 'sdk', 'snippet', 'collector', 'carts', 'email', 'report', 'cli'].map(
  (name) => `packages/${name}`,
)
/** The tools the app project installs, at the versions the workspace has (so npm finds them in its cache). */
const versionOf = (name: string) =>
  JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version as string

/** One tarball, as `npm pack --json` describes it. */
interface Packed {
  name: string
  filename: string
  files: string[]
}

/**
 * The packages as npm publishes them: each publishable package packed, and the tarballs installed into a new
 * project outside the workspace (no links to it; third-party packages from the registry, through npm's cache).
 */
describe('the packed packages, installed into an app', () => {
  let app: string
  let packs: Packed[]
  const manifest = (name: string): Manifest =>
    JSON.parse(readFileSync(join(app, 'node_modules', name, 'package.json'), 'utf8'))

  beforeAll(async () => {
    app = await mkdtemp(join(tmpdir(), 'spoor-pack-'))
    await mkdir(join(app, 'tarballs'))
    const packed = await run(
      'npm',
      ['pack', ...publishable.flatMap((dir) => ['-w', dir]), '--json', '--pack-destination', join(app, 'tarballs')],
      root,
    )
    expect(packed.code, packed.stderr).toBe(0)
    packs = (JSON.parse(packed.stdout) as { name: string; filename: string; files: { path: string }[] }[]).map(
      (pack) => ({
        name: pack.name,
        filename: pack.filename,
        files: pack.files.map((file) => file.path),
      }),
    )
    expect(packs.map((pack) => pack.name).sort()).toEqual(
      publishable.map((dir) => `@spoor/${dir.slice('packages/'.length)}`).sort(),
    )
    const project = {
      name: 'spoor-packaging-app',
      private: true,
      type: 'module',
      dependencies: Object.fromEntries(packs.map((pack) => [pack.name, `file:tarballs/${pack.filename}`])),
      devDependencies: Object.fromEntries(
        ['esbuild', 'typescript', '@types/node'].map((name) => [name, versionOf(name)]),
      ),
    }
    await writeFile(join(app, 'package.json'), JSON.stringify(project, null, 2))
    const installed = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], app)
    expect(installed.code, installed.stderr).toBe(0)
    // A dependency that asks for a newer Node than the packages' own engines field would warn every user.
    expect(installed.stderr).not.toContain('EBADENGINE')
  })
  afterAll(() => app && rm(app, { recursive: true, force: true }))

  it('puts in each tarball every file that exports, bin and types name, and something for each files entry', () => {
    for (const pack of packs) {
      const published = manifest(pack.name)
      const pointed = pointedFiles(published)
      expect(pointed.length, pack.name).toBeGreaterThan(0)
      expect(
        pointed.filter((file) => !pack.files.includes(file)),
        `${pack.name}: named but not packed`,
      ).toEqual([])
      for (const entry of (published.files ?? []).filter((entry) => !entry.startsWith('!'))) {
        expect(
          pack.files.some((file) => matchesFilesEntry(file, entry)),
          `${pack.name}: files entry ${entry} matches nothing`,
        ).toBe(true)
      }
      // Build records stay home.
      expect(
        pack.files.filter((file) => /tsbuildinfo|build-stamp|tsconfig/.test(file)),
        pack.name,
      ).toEqual([])
    }
  })

  it('ships in each tarball a README naming its package, and the MIT licence its manifest names, as the root holds it', () => {
    const licence = readFileSync(join(root, 'LICENSE'), 'utf8')
    expect(licence).toMatch(/^MIT License\n/)
    for (const pack of packs) {
      const dir = join(app, 'node_modules', pack.name)
      expect(manifest(pack.name).license, pack.name).toBe('MIT')
      expect(readFileSync(join(dir, 'LICENSE'), 'utf8'), pack.name).toBe(licence)
      expect(readFileSync(join(dir, 'README.md'), 'utf8'), pack.name).toMatch(new RegExp(`^# ${pack.name}\n`))
    }
  })

  it('lists among its dependencies every package a published file imports', async () => {
    for (const pack of packs) {
      const published = manifest(pack.name)
      const dir = join(app, 'node_modules', pack.name)
      const entryPoints = pack.files.filter((file) => /\.m?js$/.test(file)).map((file) => join(dir, file))
      expect(entryPoints.length, pack.name).toBeGreaterThan(0)
      // esbuild reads each file's imports (comments and type-only imports aside) and leaves packages unresolved.
      const { metafile } = await build({
        entryPoints,
        bundle: true,
        packages: 'external',
        platform: 'node',
        format: 'esm',
        outdir: join(app, 'scan'),
        write: false,
        metafile: true,
        logLevel: 'silent',
      })
      const imported = new Set(
        Object.values(metafile.inputs).flatMap((input) =>
          input.imports.filter((found) => found.external).map((found) => packageOf(found.path)),
        ),
      )
      const declared = new Set([
        pack.name,
        ...Object.keys(published.dependencies ?? {}),
        ...Object.keys(published.peerDependencies ?? {}),
      ])
      expect(
        [...imported].filter((name) => name && !declared.has(name)),
        `${pack.name} imports packages it does not depend on`,
      ).toEqual([])
    }
  })

  it('imports every library package in Node, and bundles the SDK for the browser with esbuild', async () => {
    const entries = [
      '@spoor/protocol',
      '@spoor/log',
      '@spoor/sdk',
      '@spoor/sdk/nps-prompt',
      '@spoor/sdk/web-vitals-attribution',
      '@spoor/collector',
      '@spoor/carts',
      '@spoor/email',
      '@spoor/report',
    ]
    const imported = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `for (const name of ${JSON.stringify(entries)}) console.log(name, Object.keys(await import(name)).length)`,
      ],
      app,
    )
    expect(imported.stderr).toBe('')
    expect(
      imported.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(' ')[0]),
    ).toEqual(entries)

    await writeFile(
      join(app, 'app.js'),
      [
        `import { clicks, createTracker, pageviews, sessions } from '@spoor/sdk'`,
        `import { webVitalsAttribution } from '@spoor/sdk/web-vitals-attribution'`,
        `const spoor = createTracker({ writeKey: 'KEY', endpoint: 'https://t.example.com', plugins: [pageviews(), sessions(), clicks(), webVitalsAttribution()] })`,
        `spoor.track('Signed Up', { plan: 'pro' })`,
        `document.querySelector('button')?.addEventListener('click', () => import('@spoor/sdk/nps-prompt').then((m) => m.showNpsPrompt(() => {})))`,
      ].join('\n'),
    )
    await writeFile(
      join(app, 'bundle.mjs'),
      `import { build } from 'esbuild'
const { metafile } = await build({ entryPoints: ['app.js'], bundle: true, splitting: true, format: 'esm', platform: 'browser', outdir: 'out', metafile: true, logLevel: 'error' })
console.log(JSON.stringify(Object.keys(metafile.inputs)))`,
    )
    const bundled = await run(process.execPath, ['bundle.mjs'], app)
    expect(bundled.code, bundled.stderr).toBe(0)
    const inputs: string[] = JSON.parse(bundled.stdout)
    expect(inputs).toContain('node_modules/@spoor/sdk/dist/index.js')
    expect(inputs).toContain('node_modules/@spoor/sdk/dist/nps/show-nps-prompt.js')
    expect(inputs.some((input) => input.startsWith('node_modules/idb-keyval/'))).toBe(true)
    expect(inputs.filter((input) => !input.startsWith('node_modules/') && input !== 'app.js')).toEqual([])
  })

  it('type-checks an app against the published types', async () => {
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          types: ['node'],
        },
        files: ['check.ts'],
      }),
    )
    await writeFile(
      join(app, 'check.ts'),
      `import { createApp, parseConfig } from '@spoor/collector'
import { instrumentEmail } from '@spoor/email'
import { limits, validateEvent, type EventLine } from '@spoor/protocol'
import { clicks, createTracker, nps, pageviews, type Tracker } from '@spoor/sdk'
import { showNpsPrompt } from '@spoor/sdk/nps-prompt'
import { webVitalsAttribution } from '@spoor/sdk/web-vitals-attribution'

const spoor: Tracker = createTracker({ writeKey: 'KEY', endpoint: 'https://t.example.com', plugins: [pageviews(), clicks(), webVitalsAttribution()] })
spoor.track('Signed Up', { plan: 'pro' })
nps(spoor, 9, 'Fast delivery')
void showNpsPrompt(() => {})
// @ts-expect-error the write key is a string
createTracker({ writeKey: 42 })

const verdict = validateEvent({ type: 'track', event: 'x', messageId: 'm', anonymousId: 'a' })
const reason: string | undefined = verdict.ok ? undefined : verdict.reason
const biggest: number = limits.eventBytes
const line: Pick<EventLine, 'messageId'> = { messageId: 'm' }

const config = parseConfig({ sites: [{ writeKey: 'KEY', origins: [] }] })
const html: string = instrumentEmail('<a href="https://shop.example/">Shop</a>', { campaign: 'c', writeKey: 'KEY', base: 'https://t.example.com', signingKey: 'k'.repeat(32) }).html
export { config, createApp, reason, biggest, line, html }
`,
    )
    const checked = await run(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', app], app)
    expect(checked.stdout + checked.stderr).toBe('')
    expect(checked.code).toBe(0)
  })

  it("type-checks a browser app whose TypeScript resolves modules the older way (node10, CommonJS's default)", async () => {
    // Without the manifests' top-level types, such an app found no types for @spoor/sdk at all (TS7016 under strict).
    const older = join(app, 'older')
    await mkdir(older, { recursive: true })
    await writeFile(
      join(older, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'CommonJS',
          moduleResolution: 'node10',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          types: [],
        },
        files: ['check.ts'],
      }),
    )
    await writeFile(
      join(older, 'check.ts'),
      `import { clicks, createTracker, pageviews, type Tracker } from '@spoor/sdk'
import { showNpsPrompt } from '@spoor/sdk/nps-prompt'
import { webVitalsAttribution } from '@spoor/sdk/web-vitals-attribution'

const spoor: Tracker = createTracker({ writeKey: 'KEY', endpoint: 'https://t.example.com', plugins: [pageviews(), clicks(), webVitalsAttribution()] })
spoor.track('Signed Up', { plan: 'pro' })
void showNpsPrompt(() => {})
// @ts-expect-error the write key is a string
createTracker({ writeKey: 42 })
export { spoor }
`,
    )
    const checked = await run(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', older], app)
    expect(checked.stdout + checked.stderr).toBe('')
    expect(checked.code).toBe(0)
  })

  it('runs the installed spoor command: /healthz, the snippet, events kept and published on SIGTERM, a report', async () => {
    const config = await writeSiteConfig(app)
    const dataDir = join(app, 'data')
    const spoor = join(app, 'node_modules/.bin/spoor')
    const serve = start(
      spoor,
      ['serve', '--config', config, '--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--max-file-age', '1h'],
      app,
    )
    try {
      const url = await listeningUrl(serve)
      const health = await fetch(`${url}/healthz`)
      expect(health.status).toBe(200)
      await health.arrayBuffer()
      // The collector serves the snippet of the @spoor/snippet tarball it depends on.
      const snippet = await fetch(`${url}/spoor.js`)
      expect(snippet.status).toBe(200)
      expect(await snippet.text()).toBe(await readFile(join(app, 'node_modules/@spoor/snippet/dist/spoor.js'), 'utf8'))
      expect(await sendEvent(url, 'packed-1')).toBe(200)
    } finally {
      serve.kill('SIGTERM')
    }
    const [code] = await new Promise<[number | null]>((resolve) =>
      serve.once('exit', (exitCode) => resolve([exitCode])),
    )
    expect(code).toBe(0)
    expect((await eventFiles(dataDir)).open).toEqual([])
    expect(await publishedIds(dataDir)).toEqual(['packed-1'])

    // The report loads DuckDB, a native package only the report depends on.
    const report = await run(spoor, ['report', dataDir, '--out', join(app, 'report.html')], app)
    expect(report.code, report.stderr).toBe(0)
    expect(await readFile(join(app, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/i)
  })

  it('runs spoor through npx as the README says outside a clone: -p @spoor/cli, or once installed', async () => {
    for (const args of [['-p', '@spoor/cli', 'spoor'], ['spoor']]) {
      const { code, stdout, stderr } = await run('npx', ['--offline', ...args, '--help'], app)
      expect(code, stderr).toBe(0)
      expect(stdout).toContain('Usage: spoor <command> [options]')
    }
    expect((await readdir(join(app, 'node_modules/.bin'))).includes('spoor')).toBe(true)
  })
})
