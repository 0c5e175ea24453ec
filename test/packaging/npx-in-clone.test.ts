import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listeningUrl } from '../support/run-cli.js'
import { eventFiles, publishedIds, sendEvent, writeSiteConfig } from './collector-files.js'
import { alive, run, start } from './run-command.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
// The README's `npx spoor …`; --offline and --no-install only keep npx from fetching a registry package named
// `spoor` (not ours) where the workspace's command is missing, which would hide the failure.
const npxSpoor = ['--offline', '--no-install', 'spoor']

describe('npx spoor in a clone, after npm install && npm start', () => {
  let dir: string
  // Processes a failing test could leave running.
  const started: number[] = []
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'spoor-npx-'))
  })
  afterAll(async () => {
    for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL')
    await rm(dir, { recursive: true, force: true })
  })

  it('links a command file kept in the repository, which npm can link before anything is built', () => {
    const bin = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')).bin.spoor as string
    const file = join(root, 'packages/cli', bin)
    expect(execFileSync('git', ['ls-files', '--error-unmatch', file], { cwd: root, encoding: 'utf8' }).trim()).toBe(
      'packages/cli/bin/spoor.js',
    )
    expect(realpathSync(join(root, 'node_modules/.bin/spoor'))).toBe(realpathSync(file))
  })

  it('runs npx spoor --help', async () => {
    const { code, stdout, stderr } = await run('npx', [...npxSpoor, '--help'], root)
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toContain('Usage: spoor <command> [options]')
    expect(stdout).toMatch(/^\s+serve\s/m)
  })

  it('stops the collector when npx is stopped with SIGTERM, and the collector publishes its files', async () => {
    const config = await writeSiteConfig(dir)
    const dataDir = join(dir, 'data')
    // Files are published only on shutdown here: an hour is longer than the test.
    const npx = start(
      'npx',
      [
        ...npxSpoor,
        'serve',
        '--config',
        config,
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--data',
        dataDir,
        '--max-file-age',
        '1h',
      ],
      root,
    )
    const url = await listeningUrl(npx)
    expect(await sendEvent(url, 'npx-sigterm-1')).toBe(200)
    expect((await eventFiles(dataDir)).open).toHaveLength(1)
    // The collector's own process id, from the lock it holds on its data folder: npx runs it through a shell.
    const collector = Number((await readFile(join(dataDir, '.spoor.lock'), 'utf8')).split('\n')[0])
    started.push(collector)
    expect(collector).not.toBe(npx.pid)
    expect(alive(collector)).toBe(true)

    npx.kill('SIGTERM')

    await expect.poll(() => alive(collector), { timeout: 20_000 }).toBe(false)
    expect(await eventFiles(dataDir)).toEqual({ published: [expect.any(String)], open: [] })
    expect(await publishedIds(dataDir)).toEqual(['npx-sigterm-1'])
    expect(existsSync(join(dataDir, '.spoor.lock'))).toBe(false)
  })
})
