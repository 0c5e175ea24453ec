import { createTracker, pageviews, type Tracker } from '@spoor/sdk'

/** The page's `spoor(...)` function: the few-line stub before load (it queues calls in `q`), the tracker after. */
interface SpoorFunction {
  (method: string, ...args: unknown[]): unknown
  q?: ArrayLike<unknown>[]
  _tracker?: Tracker
}

declare global {
  interface Window {
    spoor?: SpoorFunction
  }
}

const script = (document.currentScript ?? document.querySelector('script[data-write-key]')) as HTMLScriptElement | null
const queued = window.spoor

// A second copy of the tag on the same page finds the first one's tracker and stays out of the way.
if (!queued?._tracker && script) {
  const data = script.dataset
  const writeKey = data.writeKey
  if (!writeKey) console.warn('spoor: add data-write-key="…" to the script tag')
  else {
    const tracker = createTracker({ writeKey, endpoint: data.endpoint || new URL(script.src).origin })
    const spoor: SpoorFunction = (method, ...args) => {
      const fn = (tracker as unknown as Record<string, unknown>)[method]
      if (typeof fn === 'function') return fn(...args)
      console.warn('spoor: unknown method ' + method)
    }
    spoor._tracker = tracker
    window.spoor = spoor
    // Calls made before the script loaded run first, so that an early identify applies to the page view.
    for (const args of queued?.q ?? []) spoor(...(Array.prototype.slice.call(args) as [string, ...unknown[]]))
    tracker.use(pageviews())
  }
}
