import { afterAll } from 'vitest'
import { type NatsCluster, startNatsCluster } from './nats-cluster.js'

/** What a fleet test starts and must not leave behind. */
export interface FleetTeardown {
  /** Processes killed (SIGKILL) after the file's tests; push each one started. */
  running: { stop(signal?: NodeJS.Signals): Promise<void> }[]
  /** Starts a 3-node JetStream cluster, stopped after the file's tests, once its processes are. */
  startCluster(): Promise<NatsCluster>
}

/** Registers the file's teardown: its processes killed, then its clusters stopped. */
export function fleetTeardown(): FleetTeardown {
  const running: FleetTeardown['running'] = []
  const clusters: NatsCluster[] = []
  afterAll(async () => {
    await Promise.all(running.map((process) => process.stop('SIGKILL')))
    await Promise.all(clusters.map((cluster) => cluster.stop()))
  })
  return {
    running,
    async startCluster() {
      const cluster = await startNatsCluster()
      clusters.push(cluster)
      return cluster
    },
  }
}
