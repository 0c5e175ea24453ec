import { setFlagsFromString } from 'node:v8'

/** The heap's answer to a collector refusing requests for memory: see {@link createHeapPressure}. */
export interface HeapPressure {
  /** A request was refused because the in-flight budget was full. */
  refused(): void
  /** Called on each new request: lets the heap grow freely again once no request was refused for a while. */
  calm(): void
  readonly tight: boolean
}

/** The V8 setting while under pressure: each full collection lets the old generation grow by a tenth, at most. */
export const tightHeapFlag = '--heap-growing-percent=10'
/** V8's own heuristics, which let a heap grow to several times what is live between full collections. */
export const freeHeapFlag = '--heap-growing-percent=0'

/**
 * While the collector refuses requests because the in-flight budget is full, it asks V8 to keep the heap tight.
 * The budget bounds the request bytes held, but each body lives in several forms while it is handled (bytes, text,
 * objects, lines), and a large body's text is freed only by a full collection. V8's own heuristics let the old
 * generation grow to several times what is live before collecting it: under `npm run bench -- overload` with the
 * default 6 MiB budget, the collector peaked at 237–250 MiB resident without this, 185–189 MiB with it.
 *
 * Not always on: the full collections it makes more frequent cost throughput (0.53× → 0.36× the bare server's
 * batch rate at 256 connections, same scratch run), a price worth paying only while memory is what runs out. V8
 * reads the setting each time a full collection sets the next limit, so it takes effect from the next one; it is a
 * number, read whole. Node keeps V8's flags open to change after start-up for `v8.setFlagsFromString` (an embedder
 * that froze them, as some do, would abort the process instead; Node does not). Node also warns that a flag
 * changed at run time may do nothing: then the heap grows as before, and nothing else changes.
 *
 * @param calmAfterMs - how long without a refusal before the heap grows freely again (default 30 s)
 */
export function createHeapPressure({
  calmAfterMs = 30_000,
  now = Date.now,
  setFlags = setFlagsFromString,
}: {
  calmAfterMs?: number
  now?: () => number
  setFlags?: (flags: string) => void
} = {}): HeapPressure {
  let tight = false
  let lastRefusal = 0
  const set = (flag: string) => {
    try {
      setFlags(flag)
    } catch {
      // A runtime whose `node:v8` refuses the call: the heap keeps V8's heuristics.
    }
  }
  return {
    refused() {
      lastRefusal = now()
      if (tight) return
      tight = true
      set(tightHeapFlag)
    },
    calm() {
      if (!tight || now() - lastRefusal < calmAfterMs) return
      tight = false
      set(freeHeapFlag)
    },
    get tight() {
      return tight
    },
  }
}
