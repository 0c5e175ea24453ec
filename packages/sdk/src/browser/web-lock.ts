import type { Lock } from '../core/contracts.js'

/**
 * A {@link Lock} shared by every tab of the origin, through the Web Locks API. Where it is missing (insecure
 * origins, old browsers) tasks run unguarded: a tab may then resend what another just sent, and the collector
 * drops the repeat by its messageId.
 */
export const createWebLock =
  (name: string): Lock =>
  (task) =>
    navigator.locks ? (navigator.locks.request(name, task) as Promise<Awaited<ReturnType<typeof task>>>) : task()
