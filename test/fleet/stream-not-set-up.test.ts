import { readdir } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { fleetTeardown } from '../support/fleet-teardown.js'
import { tempDir } from '../support/helpers.js'
import { runSpoor } from '../support/run-cli.js'

const { startCluster } = fleetTeardown()

describe('a fleet whose stream was never set up', () => {
  it('has sinks and cart workers that stop with one line saying what to run, giving their data folder back', async () => {
    const cluster = await startCluster()
    const dataDir = await tempDir('spoor-fleet-no-stream-sink-')
    const sink = await runSpoor(['sink', '--stream', cluster.servers, '--data', dataDir, '--wait', '2s'])
    expect(sink.code, sink.stderr).toBe(1)
    expect(sink.stderr).toMatch(
      /^spoor sink: the stream SPOOR or its consumer spoor-sink did not answer .*spoor stream init/m,
    )
    expect(sink.stderr).not.toMatch(/TypeError|\n\s+at /)
    expect(await readdir(dataDir)).not.toContain('.spoor.lock')

    const worker = await runSpoor(['carts', '--follow', '--stream', cluster.servers, '--wait', '2s'])
    expect(worker.code, worker.stderr).toBe(1)
    expect(worker.stderr).toMatch(/^spoor carts: the stream SPOOR did not answer .*spoor stream init/m)
    expect(worker.stderr).not.toMatch(/TypeError|\n\s+at /)
  })

  it('is not made by stream init with more replicas than servers: it says why, in one line', async () => {
    const cluster = await startCluster()
    const run = await runSpoor(['stream', 'init', '--stream', cluster.servers, '--replicas', '5', '--wait', '3s'])
    expect(run.code, run.stderr).toBe(1)
    expect(run.stderr).toMatch(
      /^spoor stream: could not create or update the stream SPOOR .*--replicas 5 needs 5 servers/m,
    )
    expect(run.stderr).not.toMatch(/TypeError|\n\s+at /)
  })
})
