import type { KeyValue } from './contracts.js'

/** A {@link KeyValue} that reaches the device's storage only while consent allows it. */
export interface GatedKeyValue extends KeyValue {
  /** Opens the gate (what was kept in memory meanwhile is written through) or closes it. */
  _open(open: boolean): void
}

/**
 * Guards `inner` by consent, and keeps every value in memory too. Closed, it neither reads nor writes the device
 * (ePrivacy covers reading an identifier as much as storing one, EDPB Guidelines 2/2023). Open, the device's
 * storage comes first, so tabs of one site see each other's updates (sessions, identity); memory answers where
 * the device refused to store (Safari private mode, quota), so identity still lasts the page.
 */
export function createGatedKeyValue(inner: KeyValue, open: boolean): GatedKeyValue {
  const memory = new Map<string, string>()
  return {
    _get: (key) => (open && inner._get(key)) || memory.get(key) || null,
    _set(key, value) {
      memory.set(key, value)
      if (open) inner._set(key, value)
    },
    _remove(key) {
      memory.delete(key)
      if (open) inner._remove(key)
    },
    _clear() {
      memory.clear()
      inner._clear()
    },
    _open(on) {
      // Only on opening: a repeated grant must not write this page's older copies over another tab's updates.
      if (on && !open) memory.forEach((value, key) => inner._set(key, value))
      open = on
    },
  }
}
