import type { Lock } from '../core/contracts.js'

/**
 * A {@link Lock} shared by every tab of the origin, through the Web Locks API. Where it is missing (insecure
 * origins, old browsers) tasks run unguarded: a tab may then resend what another just sent, and the collector
 * drops the repeat by its messageId. Where it is there but denied, the request rejects without running the task
 * (Chromium, in a frame sandboxed without `allow-same-origin`, or wherever the site's storage is blocked): the task
 * then runs unguarded too. Left at that, every send rejected into the page as an unhandled rejection, and nothing
 * went out until the page was hidden and beaconed. A task that ran is never run twice by this: the sender's send
 * settles every failure itself (network, store) and never rejects.
 */
export const createWebLock =
  (name: string): Lock =>
  (task) =>
    navigator.locks
      ? (navigator.locks.request(name, task).catch(task) as Promise<Awaited<ReturnType<typeof task>>>)
      : task()
