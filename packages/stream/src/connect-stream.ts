import { connect, type NatsConnection } from '@nats-io/transport-node'

/**
 * Connects to the stream's servers (`nats://a:4222,nats://b:4222` or a list), trying again forever after a loss: a
 * collector, sink or cart worker rides out a server restart and recovers by itself.
 */
export function connectStream(servers: string | string[], name: string): Promise<NatsConnection> {
  const list =
    typeof servers === 'string'
      ? servers
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : servers
  return connect({
    servers: list,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    waitOnFirstConnect: true,
  })
}

/**
 * Connects for a command that does its work and exits (`spoor stream init`): each server is tried once and the
 * promise rejects if none answers within `timeoutMs` (nats.js's default, 20 s, unless the caller waits less), so
 * that the command can say so and stop rather than wait in silence. Once
 * connected it rides out a loss as {@link connectStream}'s connection does.
 */
export function connectStreamOnce(servers: string[], name: string, timeoutMs = 20_000): Promise<NatsConnection> {
  return connect({ servers, name, maxReconnectAttempts: -1, reconnectTimeWait: 250, timeout: timeoutMs })
}

/** Parses `--stream`: a comma-separated list of `nats://host:port` URLs; throws a readable error otherwise. */
export function parseServers(value: string): string[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (list.length === 0) throw new Error('give the stream servers, e.g. nats://a:4222,nats://b:4222')
  for (const url of list) {
    if (!/^(nats|tls):\/\/[^\s/]+(:\d+)?$/.test(url) && !/^[^\s/:]+:\d+$/.test(url)) {
      throw new Error(`"${url}" is not a server URL like nats://host:4222`)
    }
  }
  return list
}

/**
 * Drains the connection, so that the acknowledgements and publishes under way are sent, or closes it where it cannot
 * drain (no server answers): a connection left reconnecting keeps the process running after it said it stopped.
 * A drain waits for a server's answer to its flush, which a connection between two attempts to reconnect may wait
 * for until the next server comes back: past `waitMs` it is closed instead.
 */
export async function closeConnection(nc: NatsConnection, waitMs = 3000): Promise<void> {
  const drained = await settledWithin(nc.drain(), waitMs)
  if (!drained) await nc.close().catch(() => {})
}

/** Whether `promise` resolved within `ms` (false if it failed or is still pending then). */
export async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => false,
      ),
      late,
    ])
  } finally {
    clearTimeout(timer)
  }
}
