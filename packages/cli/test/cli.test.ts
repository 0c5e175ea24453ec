import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readLines, tempDir } from '../../../test/support/helpers.js'
import { listeningUrl, runSpoor, serveOnFreePort, spawnSpoor } from '../../../test/support/run-cli.js'

describe('the spoor command', () => {
  it('lists its commands on --help', async () => {
    const { code, stdout } = await runSpoor(['--help'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/Usage: spoor <command>/)
    expect(stdout).toMatch(/serve\s+run the collector/)
  })

  it('says how to write a config when serve has none', async () => {
    const { code, stderr } = await runSpoor(['serve'], { SPOOR_CONFIG: '' })
    expect(code).toBe(2)
    expect(stderr).toBe(`spoor serve: no config: give --config FILE (or set SPOOR_CONFIG). A minimal spoor.config.json:
  {"sites": [{"writeKey": "my-site-key", "origins": ["https://shop.example"]}]}
`)
  })

  it('names the problem in a bad config', async () => {
    const dir = await tempDir()
    const config = join(dir, 'spoor.config.json')
    await writeFile(config, JSON.stringify({ sites: [{ writeKey: 'k', origins: ['https://x.example/'] }] }))
    const { code, stderr } = await runSpoor(['serve', '--config', config])
    expect(code).toBe(2)
    expect(stderr).toContain('sites[0].writeKey must be a string of 3 or more characters')
  })

  it('serves, takes events, and publishes its files on SIGTERM', async () => {
    const dir = await tempDir()
    const config = join(dir, 'spoor.config.json')
    await writeFile(config, JSON.stringify({ sites: [{ writeKey: 'cli-key', origins: ['*'] }] }))
    const child = spawnSpoor([...serveOnFreePort, '--data', join(dir, 'data'), '--config', config])
    const url = await listeningUrl(child)
    const response = await fetch(url + '/v1/track', {
      method: 'POST',
      body: JSON.stringify({ writeKey: 'cli-key', event: 'From CLI', anonymousId: 'a' }),
    })
    expect(response.status).toBe(200)
    const exited = new Promise((resolve) => child.on('exit', resolve))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(await readLines(join(dir, 'data'))).toMatchObject([{ event: 'From CLI' }])
  })
})
