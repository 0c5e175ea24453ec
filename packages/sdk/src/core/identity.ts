import type { JsonObject } from '@spoor/protocol'
import type { KeyValue } from './contracts.js'
import { uuid } from './uuid.js'

export interface Identity {
  _anonymousId(): string
  _userId(): string | undefined
  _traits(): JsonObject
  /** Sets the user (when given) and merges traits; both persist across visits. */
  _identify(userId: string | undefined, traits: JsonObject | undefined): void
  /** Forgets the user and traits and starts a new anonymous id (sign-out, shared devices). */
  _reset(): void
}

/** Who the visitor is, kept in `storage` (keys `spoor.aid`, `spoor.uid`, `spoor.traits`) across reloads and visits. */
export function createIdentity(storage: KeyValue): Identity {
  const get = (key: string) => storage._get('spoor.' + key)
  const set = (key: string, value: string) => storage._set('spoor.' + key, value)
  const identity: Identity = {
    _anonymousId: () => get('aid') || (set('aid', uuid()), get('aid')!),
    _userId: () => get('uid') ?? undefined,
    _traits() {
      try {
        return JSON.parse(get('traits')!) ?? {}
      } catch {
        return {}
      }
    },
    _identify(userId, traits) {
      if (userId) {
        // A different user on this device starts from a clean slate of traits.
        if (userId != identity._userId()) storage._remove('spoor.traits')
        set('uid', userId)
      }
      if (traits) set('traits', JSON.stringify({ ...identity._traits(), ...traits }))
    },
    _reset() {
      for (const key of ['aid', 'uid', 'traits']) storage._remove('spoor.' + key)
    },
  }
  return identity
}
