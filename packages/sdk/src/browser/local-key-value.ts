import type { KeyValue } from '../core/contracts.js'

/**
 * {@link KeyValue} over localStorage, or over a Map where localStorage is missing or refuses (Safari private
 * mode, storage disabled, quota) — identity then lasts as long as the page.
 */
export function createLocalKeyValue(): KeyValue {
  const memory = new Map<string, string>()
  return {
    _get(key) {
      try {
        return localStorage.getItem(key) ?? memory.get(key) ?? null
      } catch {
        return memory.get(key) ?? null
      }
    },
    _set(key, value) {
      memory.set(key, value)
      try {
        localStorage.setItem(key, value)
      } catch {}
    },
    _remove(key) {
      memory.delete(key)
      try {
        localStorage.removeItem(key)
      } catch {}
    },
  }
}
