import { existsSync } from 'node:fs'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/helpers.js'
import { listeningUrl, runSpoor, serveOnFreePort, spawnSpoor } from '../../../test/support/run-cli.js'

const packageJson = new URL('../package.json', import.meta.url)

/** Writes each named file into a fresh folder; resolves to their paths. */
async function files(contents: Record<string, string>): Promise<Record<string, string> & { dir: string }> {
  const dir = await tempDir()
  const paths: Record<string, string> = { dir }
  for (const [name, text] of Object.entries(contents)) await writeFile((paths[name] = join(dir, name)), text)
  return paths as Record<string, string> & { dir: string }
}

describe('the spoor command, used as a newcomer would', () => {
  it('prints its version on --version and -v', { timeout: 30_000 }, async () => {
    const { version } = JSON.parse(await readFile(packageJson, 'utf8'))
    for (const flag of ['--version', '-v']) {
      const { code, stdout, stderr } = await runSpoor([flag])
      expect([code, stdout, stderr]).toEqual([0, `spoor ${version}\n`, ''])
    }
  })

  it('answers a bare "spoor" with its help on stderr, exit code 2, and "spoor help serve" with the command\'s', {
    timeout: 30_000,
  }, async () => {
    const [bare, help] = await Promise.all([runSpoor([]), runSpoor(['help', 'serve'])])
    expect([bare.code, bare.stdout]).toEqual([2, ''])
    expect(bare.stderr).toMatch(/^Usage: spoor <command>/m)
    expect([help.code, help.stderr]).toEqual([0, ''])
    expect(help.stdout).toMatch(/^Usage: spoor serve --config/m)
  })

  it('explains each mistake in one line on stderr, pointing to --help, exit code 2', { timeout: 120_000 }, async () => {
    const f = await files({
      'ok.json': JSON.stringify({ sites: [{ writeKey: 'shop-key', origins: ['https://shop.example'] }] }),
      'typo.json': JSON.stringify({ sites: [{ writeKey: 'shop-key' }], dashbaord: { token: 'x'.repeat(24) } }),
      'site-typo.json': JSON.stringify({ sites: [{ writeKey: 'shop-key', orgins: ['https://shop.example'] }] }),
      'bad.json': '{\n  "sites": [\n    {"writeKey": "shop-key"},\n  ]\n}\n',
      'privacy.json': JSON.stringify({ sites: [{ writeKey: 'shop-key' }], privacy: { ipv4MaskBytes: 0 } }),
      'funnel.json': JSON.stringify({
        sites: [{ writeKey: 'shop-key', funnels: [{ name: 'Sign-up', steps: [{ page: '/' }, { page: 'pricing' }] }] }],
      }),
      'a.html': '<a href="https://shop.example/">x</a>',
    })
    const cases: [string[], string, Record<string, string>?][] = [
      [
        ['serve', '--config', f['ok.json']!],
        'spoor serve: PORT=80a is not a port (0 to 65535); see "spoor serve --help"',
        { PORT: '80a' },
      ],
      [['serv'], 'spoor: unknown command "serv" (did you mean "serve"?); see "spoor --help"'],
      [
        ['serve', '--config', f['ok.json']!, '--prot', '0'],
        'spoor serve: unknown option --prot (did you mean --port?); see "spoor serve --help"',
      ],
      [['serve', '--config'], 'spoor serve: --config needs a value; see "spoor serve --help"'],
      [
        ['serve', '--config', f['ok.json']!, '--port', 'abc'],
        'spoor serve: --port abc is not a port (0 to 65535); see "spoor serve --help"',
      ],
      [
        ['serve', '--config', f['ok.json']!, '--static', join(f.dir, 'pubic')],
        `spoor serve: --static ${join(f.dir, 'pubic')} is not a folder; see "spoor serve --help"`,
      ],
      [
        ['serve', '--config', f['ok.json']!, '--max-carts', '2.5'],
        'spoor serve: --max-carts is a number of carts: 1 or more; see "spoor serve --help"',
      ],
      [
        ['serve', '--config', f['ok.json']!, '--keep', '12h'],
        'spoor serve: --keep must be at least 1d: days go whole; see "spoor serve --help"',
      ],
      [
        ['serve', '--config', f['ok.json']!, '--keep', '400d', '--compact-every', 'off'],
        'spoor serve: --keep runs with the compaction: not with --compact-every off or --stream; see "spoor serve --help"',
      ],
      [
        ['serve', '--config', f['typo.json']!],
        `spoor serve: ${f['typo.json']}: unknown key "dashbaord" (did you mean "dashboard"?); known: sites, privacy, email, dashboard, metrics`,
      ],
      [
        ['serve', '--config', f['site-typo.json']!],
        `spoor serve: ${f['site-typo.json']}: sites[0]: unknown key "orgins" (did you mean "origins"?); known: writeKey, origins, name, gpc, visitorHash, pixelOrigins, redact, goals, funnels, segments`,
      ],
      [
        ['serve', '--config', f['bad.json']!],
        `spoor serve: ${f['bad.json']}:4:3: not valid JSON: a comma before "]": JSON allows no trailing comma`,
      ],
      [
        ['serve', '--config', f['privacy.json']!, '--data', join(f.dir, 'data')],
        `spoor serve: ${f['privacy.json']}: privacy.ipv4MaskBytes must be 1, 2, 3 or 4 (bytes zeroed; raw IPs are never written)`,
      ],
      [
        ['serve', '--config', f['funnel.json']!, '--data', join(f.dir, 'data')],
        `spoor serve: ${f['funnel.json']}: sites[0].funnels[0].steps[1]: a page is a path starting with "/", as "/pricing"`,
      ],
      [
        ['email', 'instrument', f['a.html']!, '--campaign', 'c', '--base', 'https://t.example'],
        'spoor email: --write-key is required; see "spoor email --help"',
      ],
    ]
    const results = await Promise.all(cases.map(([argv, , env]) => runSpoor(argv, { SPOOR_CONFIG: '', ...env })))
    results.forEach(({ code, stdout, stderr }, i) => {
      expect({ code, stdout, stderr }, cases[i]![0].join(' ')).toEqual({
        code: 2,
        stdout: '',
        stderr: cases[i]![1] + '\n',
      })
    })
    // A config mistake ends the start before the data folder is touched.
    expect(existsSync(join(f.dir, 'data'))).toBe(false)
  })

  it('fails to start with one line saying what to do, exit code 1, when the port is taken or the data folder lies under a file', {
    timeout: 60_000,
  }, async () => {
    const f = await files({ 'ok.json': JSON.stringify({ sites: [{ writeKey: 'shop-key' }] }), 'a-file': '' })
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const { port } = taken.address() as AddressInfo
    try {
      const [inUse, notAFolder] = await Promise.all([
        runSpoor([
          'serve',
          '--config',
          f['ok.json']!,
          '--host',
          '127.0.0.1',
          '--port',
          String(port),
          '--data',
          join(f.dir, 'data'),
        ]),
        runSpoor([
          'serve',
          '--config',
          f['ok.json']!,
          '--host',
          '127.0.0.1',
          '--port',
          '0',
          '--data',
          join(f['a-file']!, 'data'),
        ]),
      ])
      expect(inUse.code).toBe(1)
      expect(inUse.stderr).toBe(
        `spoor serve: port ${port} is already in use on 127.0.0.1: stop the program using it, or choose another port with --port (or PORT)\n`,
      )
      expect(notAFolder.code).toBe(1)
      expect(notAFolder.stderr).toBe(
        `spoor serve: cannot write to the data folder ${join(f['a-file']!, 'data')}: part of the path is a file, not a folder; fix that, or choose another folder with --data (or SPOOR_DATA_DIR)\n`,
      )
    } finally {
      taken.close()
    }
  })

  it('fails to start with one line, exit code 1, when the data folder may not be written', {
    timeout: 60_000,
  }, async () => {
    const f = await files({ 'c.json': JSON.stringify({ sites: [{ writeKey: 'shop-key' }] }) })
    const data = join(f.dir, 'data')
    await mkdir(data)
    await chmod(data, 0o555)
    await chmod(f.dir, 0o755)
    await chmod(f['c.json']!, 0o644)
    // Root writes anywhere: the collector is then run as nobody, as a service would be.
    const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined
    const { code, stderr } = await runSpoor(
      ['serve', '--config', f['c.json']!, '--host', '127.0.0.1', '--port', '0', '--data', data],
      { HOME: tmpdir() },
      user,
    )
    expect(code).toBe(1)
    expect(stderr).toBe(
      `spoor serve: cannot write to the data folder ${data} (${join(data, '.spoor.lock')}): permission denied; fix that, or choose another folder with --data (or SPOOR_DATA_DIR)\n`,
    )
  })

  it('reports a file it cannot write in one line, exit code 1', { timeout: 60_000 }, async () => {
    const f = await files({
      'c.json': JSON.stringify({ sites: [{ writeKey: 'KEY' }], email: { signingKeys: ['k'.repeat(43)] } }),
      'a.html': '<p>hi</p>',
    })
    const out = join(f.dir, 'missing', 'out.html')
    const { code, stderr } = await runSpoor([
      'email',
      'instrument',
      f['a.html']!,
      '--campaign',
      'c',
      '--write-key',
      'KEY',
      '--base',
      'https://t.example',
      '--config',
      f['c.json']!,
      '--out',
      out,
    ])
    expect(code).toBe(1)
    expect(stderr).toBe(`spoor email: ENOENT: no such file or directory, open '${out}'\n`)
  })

  it("takes the README's email config, whose site sends from servers only and lists no origins", {
    timeout: 60_000,
  }, async () => {
    const key = (await runSpoor(['email', 'key'])).stdout.trim()
    const f = await files({
      'spoor.config.json': JSON.stringify({ sites: [{ writeKey: 'KEY' }], email: { signingKeys: [key] } }),
      'a.html': '<a href="https://shop.example/">x</a>',
    })
    const instrumented = await runSpoor([
      'email',
      'instrument',
      f['a.html']!,
      '--campaign',
      'c',
      '--write-key',
      'KEY',
      '--base',
      'https://t.example',
      '--config',
      f['spoor.config.json']!,
    ])
    expect(instrumented.code).toBe(0)
    expect(instrumented.stdout).toContain('https://t.example/email/c?')
  })

  it('logs each refused origin and unknown write key once, with the fix, and never the address or the events', {
    timeout: 60_000,
  }, async () => {
    const f = await files({
      'spoor.config.json': JSON.stringify({
        sites: [{ writeKey: 'shop-key', name: 'Shop', origins: ['https://shop.example'] }, { writeKey: 'server-key' }],
      }),
    })
    const child = spawnSpoor([...serveOnFreePort, '--data', join(f.dir, 'data'), '--config', f['spoor.config.json']!])
    let stderr = ''
    child.stderr!.on('data', (chunk) => (stderr += chunk))
    const url = await listeningUrl(child)
    const send = (writeKey: string, headers: Record<string, string> = {}) =>
      fetch(url + '/v1/batch', {
        method: 'POST',
        headers,
        body: JSON.stringify({ writeKey, batch: [{ type: 'page', anonymousId: 'visitor-secret' }] }),
      })
    expect((await send('server-key')).status).toBe(200)
    for (let i = 0; i < 3; i++) {
      expect((await send('shop-key', { origin: 'https://www.shop.example' })).status).toBe(403)
      expect((await send('shop-kye', { origin: 'https://shop.example' })).status).toBe(401)
    }
    const warnings = () =>
      stderr
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    await expect.poll(() => warnings().length).toBe(2)
    expect(warnings()).toMatchObject([
      {
        level: 'warn',
        reason: 'origin not allowed',
        msg: `refused events from https://www.shop.example for site "Shop": add "https://www.shop.example" to "origins" of site "Shop" in ${f['spoor.config.json']}`,
      },
      {
        level: 'warn',
        reason: 'unknown write key',
        writeKey: 'shop-kye',
        msg: expect.stringContaining(`no site in ${f['spoor.config.json']} has this writeKey`),
      },
    ])
    expect(stderr).not.toMatch(/127\.0\.0\.1|visitor-secret/)
    const exited = new Promise((resolve) => child.on('exit', resolve))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })
})
