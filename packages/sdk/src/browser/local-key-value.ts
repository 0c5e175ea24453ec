import type { KeyValue } from '../core/contracts.js'

/**
 * {@link KeyValue} over localStorage; every failure (localStorage missing, disabled, over quota) is swallowed, and
 * the consent gate in front of it keeps a copy in memory. `memoryOnly` never touches localStorage (cookieless).
 */
export function createLocalKeyValue(memoryOnly?: boolean): KeyValue {
  const local = <T>(use: (storage: Storage) => T): T | undefined => {
    try {
      if (!memoryOnly) return use(localStorage)
    } catch {}
  }
  return {
    _get: (key) => local((s) => s.getItem(key)) ?? null,
    _set: (key, value) => local((s) => s.setItem(key, value)),
    _remove: (key) => local((s) => s.removeItem(key)),
    // Every key spoor writes starts with "spoor." (identity, session, campaigns, prompt state).
    _clear: () => local((s) => Object.keys(s).forEach((key) => key.startsWith('spoor.') && s.removeItem(key))),
  }
}
