import type { Envelope, JsonObject } from '@spoor/protocol'
import type { GatedKeyValue } from './gated-key-value.js'
import { toJson } from './to-json.js'
import { uuid } from './uuid.js'

export interface Identity {
  /** Puts who the visitor is on `event`: `anonymousId`, `userId`, and `context.traits` when there are any. */
  _fill(event: Envelope): Envelope
  /** Sets the user (when given) and merges traits; both persist across visits. */
  _identify(userId: string | null | undefined, traits: JsonObject | undefined): void
  /** Forgets the user and traits and starts a new anonymous id (sign-out, shared devices). */
  _reset(): void
}

/** Who the visitor is, kept in `storage` (keys `spoor.aid`, `spoor.uid`, `spoor.traits`) across reloads and visits. */
export function createIdentity(storage: GatedKeyValue): Identity {
  const get = (key: string) => storage._get('spoor.' + key)
  const set = (key: string, value: string) => storage._set('spoor.' + key, value)
  const traits = (): JsonObject => {
    try {
      return JSON.parse(get('traits')!) ?? {}
    } catch {
      return {}
    }
  }
  return {
    _fill(event) {
      const known = traits()
      // biome-ignore lint/complexity/noCommaOperator: a sequence, not a statement: 2 B over spoor.full.js
      event.anonymousId = get('aid') || (set('aid', uuid()), get('aid')!)
      event.userId = get('uid') ?? undefined
      if (Object.keys(known).length) event.context!.traits = known
      return event
    },
    _identify(userId, more) {
      if (userId) {
        // A different user on this device starts from a clean slate of traits.
        if (userId != get('uid')) storage._remove('spoor.traits')
        set('uid', userId)
      }
      if (more) set('traits', toJson({ ...traits(), ...more }))
    },
    _reset() {
      for (const key of ['aid', 'uid', 'traits']) storage._remove('spoor.' + key)
    },
  }
}
