import type { Envelope } from '@spoor/protocol'
import type { PluginHost, Properties, Tracker } from '../core/tracker.js'

/**
 * Segment `alias`: the visitor becomes `userId`, and the id they had (`previousId`: the user id, else the anonymous
 * id) is sent along so that both histories can be merged downstream.
 *
 * @param previousId the id to merge (default: the current user id, else the anonymous id)
 * @example
 * alias(spoor, 'u-42')   // snippet: spoor('alias', 'u-42')
 */
export function alias(tracker: Tracker, userId: string, previousId?: string): void {
  const host = tracker as PluginHost
  const { userId: current, anonymousId } = host.identity._fill({ context: {} } as Envelope)
  host.identity._identify(userId, undefined)
  host.record('alias', { previousId: previousId ?? current ?? anonymousId })
}

/**
 * Segment `group`: ties the visitor to a company, team or account, with its traits.
 *
 * @example
 * group(spoor, 'acme', { name: 'Acme', plan: 'team' })   // snippet: spoor('group', 'acme', {…})
 */
export function group(tracker: Tracker, groupId: string, traits: Properties = {}): void {
  ;(tracker as PluginHost).record('group', { groupId, traits })
}

/**
 * Records `Signed Out`, then forgets the user, traits and anonymous id, so that the next person on the device
 * starts afresh. The other account events are plain calls: `track('Signed Up' | 'Signed In' | 'Trial Started' |
 * 'Subscribed' | 'Unsubscribed', properties)`.
 *
 * @example
 * signOut(spoor)   // snippet: spoor('signOut')
 */
export function signOut(tracker: Tracker, properties?: Properties): void {
  tracker.track('Signed Out', properties)
  tracker.reset()
}
