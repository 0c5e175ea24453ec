import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'

/** A JetStream cluster of real `nats-server` processes on 127.0.0.1. */
export interface NatsCluster {
  /** `nats://127.0.0.1:PORT` of each node, in order. */
  urls: string[]
  /** The `--stream` value naming every node. */
  servers: string
  /** SIGKILLs node `i` (its store stays, so it can start again). */
  kill(i: number): Promise<void>
  /** Starts node `i` again on its ports and store. */
  start(i: number): Promise<void>
  /** The process ids of the nodes running now. */
  pids(): number[]
  /** The index of the node leading `stream` now (its writes go through it). */
  leaderOf(stream: string): Promise<number>
  /** Resolves once JetStream answers through the nodes that run (a meta leader is elected). */
  ready(): Promise<void>
  /** Stops every node and removes the stores. */
  stop(): Promise<void>
}

/** Ports the system hands out now; a moment later another process may take one, which start() reports. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** The path of Debian's `nats-server`; throws (so a test fails, never skips) when it is not installed. */
export function natsServerPath(): string {
  for (const path of ['/usr/sbin/nats-server', '/usr/bin/nats-server']) {
    if (spawnSync(path, ['--version']).status === 0) return path
  }
  const which = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' })
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim()
  throw new Error('nats-server is not installed: apt-get install -y nats-server (.ci/run does this)')
}

/**
 * Starts a 3-node JetStream cluster: three `nats-server` processes with cluster routes to each other, on free
 * ports, each with its own store under a temporary folder.
 *
 * @example
 * const cluster = await startNatsCluster()
 * await cluster.kill(1) // an R3 stream keeps working on the other two
 * await cluster.stop()
 */
export async function startNatsCluster(size = 3): Promise<NatsCluster> {
  const binary = natsServerPath()
  const dir = await mkdtemp(join(tmpdir(), 'spoor-nats-'))
  const ports = await Promise.all(
    Array.from({ length: size }, async () => ({ client: await freePort(), route: await freePort() })),
  )
  const urls = ports.map((p) => `nats://127.0.0.1:${p.client}`)
  const routes = ports.map((p) => `nats://127.0.0.1:${p.route}`).join(',')
  const nodes: (ChildProcess | undefined)[] = []
  const exits: Promise<unknown>[] = []

  const start = async (i: number) => {
    const { client, route } = ports[i]!
    const child = spawn(
      binary,
      [
        '-a',
        '127.0.0.1',
        '-p',
        String(client),
        '-n',
        `n${i}`,
        '--cluster_name',
        'spoor-test',
        '--cluster',
        `nats://127.0.0.1:${route}`,
        '--routes',
        routes,
        '-js',
        '-sd',
        join(dir, `n${i}`),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    let log = ''
    child.stderr!.on('data', (chunk) => (log = (log + chunk).slice(-4000)))
    nodes[i] = child
    exits[i] = new Promise((resolve) => child.once('exit', resolve))
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (log.includes('Server is ready')) {
          clearInterval(check)
          resolve()
        }
      }, 20)
      void exits[i]!.then(() => {
        clearInterval(check)
        reject(new Error(`nats-server n${i} exited before it was ready: ${log}`))
      })
    })
  }

  const ready = async () => {
    const deadline = Date.now() + 30_000
    for (;;) {
      const live = urls.filter((_, i) => nodes[i] && nodes[i]!.exitCode === null && nodes[i]!.signalCode === null)
      try {
        const nc = await connect({ servers: live, timeout: 2000 })
        try {
          const jsm = await jetstreamManager(nc, { timeout: 2000 })
          await jsm.getAccountInfo()
          return
        } finally {
          await nc.close()
        }
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`JetStream did not become ready: ${String(error)}`)
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    }
  }

  const kill = async (i: number) => {
    const child = nodes[i]
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGKILL')
    await exits[i]
  }

  const leaderOf = async (stream: string) => {
    const nc = await connect({ servers: urls, timeout: 2000 })
    try {
      const info = await (await jetstreamManager(nc)).streams.info(stream)
      const name = info.cluster?.leader
      if (!name) throw new Error(`stream ${stream} has no leader now`)
      return Number(name.slice(1))
    } finally {
      await nc.close()
    }
  }

  await Promise.all(ports.map((_, i) => start(i)))
  await ready()
  return {
    urls,
    servers: urls.join(','),
    kill,
    start,
    leaderOf,
    pids: () => nodes.filter((n) => n && n.exitCode === null && n.signalCode === null).map((n) => n!.pid!),
    ready,
    async stop() {
      await Promise.all(ports.map((_, i) => kill(i)))
      await rm(dir, { recursive: true, force: true })
    },
  }
}
