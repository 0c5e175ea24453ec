import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type FleetProcess, initStream, startSink, startSpoor, startStreamCollector } from '../support/fleet.js'
import { fleetTeardown } from '../support/fleet-teardown.js'
import { tempDir } from '../support/helpers.js'

const { running, startCluster } = fleetTeardown()

/** Whether `process` exits within `ms` of a SIGTERM. */
const exitsWithin = (process: FleetProcess, ms: number) =>
  Promise.race([
    process.stop('SIGTERM').then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
  ])

describe('a fleet process stopped while no stream server answers', () => {
  it('exits: a collector, a sink and a cart worker each say they stopped, and do', async () => {
    const cluster = await startCluster()
    const dir = await tempDir('spoor-fleet-stop-down-')
    const config = join(dir, 'spoor.config.json')
    await writeFile(config, JSON.stringify({ sites: [{ writeKey: 'fleet-key', origins: [] }] }))
    await initStream(cluster.servers)
    const collector = await startStreamCollector(cluster.servers, config)
    const sink = await startSink(cluster.servers, join(dir, 'sink'))
    const worker = await startSpoor(['carts', '--follow', '--stream', cluster.servers], /caught up/)
    running.push(collector, sink, worker)

    for (const i of [0, 1, 2]) await cluster.kill(i)
    // Their connections are reconnecting now; a supervisor's SIGTERM must still end them, not only their work.
    const exited = await Promise.all([collector, sink, worker].map((p) => exitsWithin(p, 10_000)))
    expect(exited, [collector, sink, worker].map((p) => p.output().slice(-400)).join('\n')).toEqual([true, true, true])
    for (const p of [collector, sink, worker]) expect(p.output()).toMatch(/SIGTERM/)
  })
})
