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

const keys = { _aid: 'spoor.aid', _uid: 'spoor.uid', _traits: 'spoor.traits' }

/** Who the visitor is, kept in `storage` so that it survives reloads and visits. */
export function createIdentity(storage: KeyValue): Identity {
  const read = (key: string): JsonObject => {
    try {
      return JSON.parse(storage._get(key) ?? '{}') as JsonObject
    } catch {
      return {}
    }
  }
  const identity: Identity = {
    _anonymousId() {
      let id = storage._get(keys._aid)
      if (!id) storage._set(keys._aid, (id = uuid()))
      return id
    },
    _userId: () => storage._get(keys._uid) ?? undefined,
    _traits: () => read(keys._traits),
    _identify(userId, traits) {
      if (userId) {
        // A different user on this device starts from a clean slate of traits.
        if (userId !== identity._userId()) storage._remove(keys._traits)
        storage._set(keys._uid, userId)
      }
      if (traits) storage._set(keys._traits, JSON.stringify({ ...identity._traits(), ...traits }))
    },
    _reset() {
      for (const key of Object.values(keys)) storage._remove(key)
    },
  }
  return identity
}
