import type { KeyValue } from './contracts.js'

/** The device's small storage as spoor sees it: behind the consent gate, with a copy in memory. */
export interface GatedKeyValue {
  _get(key: string): string | null
  _set(key: string, value: string): void
  _remove(key: string): void
  /**
   * Reads and removes the device's keys that start with `prefix`: only those this page sees, so a key another tab
   * wrote a moment ago (tabs see each other's writes late) stays for a later page rather than being removed unread.
   * `always`: whether the gate is open or not, and memory is cleared too (consent revoked: `'spoor.'`, every key
   * spoor wrote, goes). Nothing (undefined) when the device is out of reach.
   */
  _take(prefix: string, always?: boolean): string[] | undefined
  /** Opens the gate (what was kept in memory meanwhile is written through) or closes it. */
  _open(open: boolean): void
}

/**
 * Guards the device's storage by consent, and keeps every value in memory too. Closed, it neither reads nor writes
 * the device (ePrivacy covers reading an identifier as much as storing one, EDPB Guidelines 2/2023). Open, the
 * device comes first, so tabs of one site see each other's updates (sessions, identity); memory answers where the
 * device refused (no storage in cookieless mode, a sandboxed frame's SecurityError, Safari private mode, quota), so
 * identity still lasts the page.
 *
 * @param device returns the device's storage (`() => localStorage`), read at each use; none: memory only
 * @param open whether consent allows the device at the start
 */
export function createGatedKeyValue(device: (() => KeyValue) | undefined, open: boolean): GatedKeyValue {
  const memory = new Map<string, string>()
  // Every failure of the device is swallowed (a missing `device` fails here too): memory has the value.
  const reach = (use: (storage: KeyValue) => unknown, always?: boolean) => {
    try {
      if (open || always) return use(device!())
    } catch {}
  }
  return {
    _get: (key) => (reach((s) => s.getItem(key)) as string | null) || memory.get(key) || null,
    _set(key, value) {
      memory.set(key, value)
      reach((s) => s.setItem(key, value))
    },
    _remove(key) {
      memory.delete(key)
      reach((s) => s.removeItem(key))
    },
    _take(prefix, always) {
      if (always) memory.clear()
      return reach(
        (s) =>
          Object.keys(s)
            .filter((key) => key.startsWith(prefix))
            // The value, then the key removed: `+ [undefined]` adds nothing (2 B under `[value, remove][0]` in
            // spoor.full.js, which this change had to keep within its 8,000).
            .map((key) => s.getItem(key)! + [s.removeItem(key)]),
        always,
      ) as string[] | undefined
    },
    _open(on) {
      // Only on opening: a repeated grant must not write this page's older copies over another tab's updates.
      if (on && !open) for (const [key, value] of memory) reach((s) => s.setItem(key, value), true)
      open = on
    },
  }
}
