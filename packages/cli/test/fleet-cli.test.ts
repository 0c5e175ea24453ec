import { mkdir, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/helpers.js'
import { runSpoor, spawnSpoor } from '../../../test/support/run-cli.js'

// Mistakes in the fleet's commands are caught before any server is contacted: one line, exit code 2.
describe('the fleet commands refuse mistakes readably', () => {
  it.each([
    [['sink', '--data', 'x'], 'spoor sink: give --stream SERVERS, e.g. nats://127.0.0.1:4222; see "spoor sink --help"'],
    [['sink', '--stream', 'nats://127.0.0.1:4222'], 'spoor sink: give --data DIR, the folder this sink writes to'],
    [
      ['stream', 'init', '--stream', 'nats://127.0.0.1:4222', '--replicas', '2'],
      'spoor stream: --replicas is 1, 3 or 5',
    ],
    [['stream', 'create', '--stream', 'nats://127.0.0.1:4222'], 'spoor stream: the subcommand is "init"'],
    [
      ['stream', 'init', '--stream', 'nats://127.0.0.1:4222', '--max-age', 'soon'],
      'spoor stream: --max-age: "soon" is not a duration',
    ],
    [['carts', '--follow'], 'spoor carts: --follow needs --stream SERVERS'],
    [
      ['carts', '--follow', '--stream', 'nats://127.0.0.1:4222', '--worker', '3/2'],
      'spoor carts: --worker: a worker is numbered 1 to 2',
    ],
  ])('spoor %j', async (args, message) => {
    const run = await runSpoor(args)
    expect(run.stderr).toContain(message)
    expect(run.code).toBe(2)
  })

  it.each([['report', '--out', '-'], ['compact'], ['erase', '--user', 'u-1'], ['carts']])(
    "spoor %j over the folder that holds the sinks' folders names them, rather than read nothing",
    async (command, ...rest) => {
      const dir = await tempDir()
      for (const sink of ['sink-1', 'sink-2']) await mkdir(join(dir, sink, 'events'), { recursive: true })
      const run = await runSpoor([command, dir, ...rest])
      expect(run.stderr).toContain(`${dir} has no events/ of its own, but its folders sink-1, sink-2 are data folders`)
      expect(run.code).toBe(2)
    },
  )

  it('spoor serve --stream with something that is not a server URL', async () => {
    const dir = await tempDir()
    const config = join(dir, 'spoor.config.json')
    await writeFile(config, JSON.stringify({ sites: [{ writeKey: 'fleet-key', origins: [] }] }))
    const run = await runSpoor(['serve', '--config', config, '--port', '0', '--stream', 'http://a/b'])
    expect(run.stderr).toContain('spoor serve: --stream: "http://a/b" is not a server URL like nats://host:4222')
    expect(run.code).toBe(2)
  })

  it('spoor stream init with no server answering says it waits, then gives up with exit code 1', {
    timeout: 30_000,
  }, async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number }
        server.close(() => resolve(port))
      })
    })
    const servers = `nats://127.0.0.1:${port}`
    const started = Date.now()
    const run = await runSpoor(['stream', 'init', '--stream', servers, '--wait', '2s'])
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      `spoor stream init: waiting for a stream server to answer at ${servers}\n` +
        `spoor stream: no stream server answered at ${servers} within 2 s (ConnectionError: connection refused): start them, or check --stream\n`,
    )
    expect(Date.now() - started).toBeLessThan(20_000)
  })

  it('spoor stream init against a server that takes the connection and never speaks NATS stops too', {
    timeout: 30_000,
  }, async () => {
    const silent = createServer(() => {})
    const port = await new Promise<number>((resolve) =>
      silent.listen(0, '127.0.0.1', () => resolve((silent.address() as { port: number }).port)),
    )
    try {
      const started = Date.now()
      const run = await runSpoor(['stream', 'init', '--stream', `nats://127.0.0.1:${port}`, '--wait', '2s'])
      expect(run.code).toBe(1)
      expect(run.stderr).toMatch(/no stream server answered at nats:\/\/127\.0\.0\.1:\d+ within 2 s/)
      expect(Date.now() - started).toBeLessThan(15_000)
    } finally {
      silent.close()
    }
  })

  it('spoor serve --stream, sink and carts --follow with no server answering say so while they wait', {
    timeout: 60_000,
  }, async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number }
        server.close(() => resolve(port))
      })
    })
    const servers = `nats://127.0.0.1:${port}`
    const dir = await tempDir()
    const config = join(dir, 'spoor.config.json')
    await writeFile(config, JSON.stringify({ sites: [{ writeKey: 'fleet-key', origins: [] }] }))
    const children = [
      spawnSpoor(['serve', '--config', config, '--port', '0', '--host', '127.0.0.1', '--stream', servers]),
      spawnSpoor(['sink', '--stream', servers, '--data', join(dir, 'sink')]),
      spawnSpoor(['carts', '--follow', '--stream', servers]),
    ]
    try {
      const outputs = children.map((child) => {
        const out = { text: '' }
        child.stdout!.on('data', (chunk) => (out.text += chunk))
        child.stderr!.on('data', (chunk) => (out.text += chunk))
        return out
      })
      for (const out of outputs)
        await expect
          .poll(() => out.text, { timeout: 20_000, interval: 250 })
          .toContain(`no stream server answers at ${servers} yet: still trying (check --stream`)
    } finally {
      for (const child of children) child.kill('SIGKILL')
    }
  })
})
