import { describe, expect, it } from 'vitest'
import { fleetTeardown } from '../support/fleet-teardown.js'
import { runSpoor } from '../support/run-cli.js'

const { startCluster } = fleetTeardown()

describe('a fleet whose stream was never set up', () => {
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
