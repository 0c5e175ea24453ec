import {
  alias,
  cart,
  clicks,
  createTracker,
  engagement,
  group,
  heatmaps,
  identifyField,
  media,
  nps,
  npsPrompt,
  type Plugin,
  pageviews,
  promptNps,
  review,
  type ShowNpsPrompt,
  signOut,
  survey,
  type Tracker,
  webVitals,
} from '@spoor/sdk'

// Set by build.mjs: false for spoor.js (the core), true for spoor.full.js. Dead branches fall out of each build.
declare const FULL: boolean

/** One call as a page queues it: the method's name, then its arguments (the stub queues its `arguments`). */
type Call = [method: string, ...args: unknown[]]

/** The page's `spoor(...)` function: the few-line stub before load (it queues calls in `q`), the tracker after. */
interface SpoorFunction {
  (method: string, ...args: unknown[]): unknown
  q?: Call[]
  /** The loaded tracker; a public name, so that copies of any build of the snippet find each other. */
  tracker?: Tracker
  /** `spoor.push(['track', …])`, for pages that queued their calls in an array of their own. */
  push?: (call: Call) => unknown
}

declare global {
  interface Window {
    /** The stub, the loaded tag, or an array of calls a page queued itself (`window.spoor = window.spoor || []`). */
    spoor?: SpoorFunction | Call[]
    /** Set by spoor-nps.js, the lazily loaded prompt. */
    spoorNpsPrompt?: ShowNpsPrompt
  }
}

const script = (document.currentScript ?? document.querySelector('script[data-write-key]')) as HTMLScriptElement | null
const queued = window.spoor

// A second copy of the tag on the same page (of either build) finds the first one's tracker and stays out.
if (!(queued as SpoorFunction | undefined)?.tracker && script) {
  const data = script.dataset
  const writeKey = data.writeKey
  if (!writeKey) console.warn('spoor: data-write-key missing')
  else {
    const origin = new URL(script.src).origin
    const tracker = createTracker({
      writeKey,
      endpoint: data.endpoint || origin,
      consent: data.consent as 'pending' | undefined,
      gpc: data.gpc != 'off',
      cookieless: data.cookieless != null,
    })
    // The prompt's code comes from the collector that served this script, when it is first needed.
    const showPrompt: ShowNpsPrompt = (done) => {
      const show = () => window.spoorNpsPrompt!(done)
      if (window.spoorNpsPrompt) return show()
      const chunk = document.head.appendChild(document.createElement('script'))
      chunk.onload = show
      chunk.src = origin + '/spoor-nps.js'
    }
    // biome-ignore lint/suspicious/noExplicitAny: the page's `spoor('name', …)` arguments are whatever the page passes
    const helpers: Record<string, (tracker: Tracker, ...args: any[]) => unknown> = FULL
      ? { alias, group, signOut, nps, survey, review, npsPrompt: (t) => promptNps(t, showPrompt) }
      : {}
    // The calls made before the script loaded, in the stub's `q` or in the page's own array; until they have run,
    // later calls join them, so that every call runs in the order it was made (the tag's onload handler runs
    // before the task that replays them).
    let early: Call[] | undefined = Array.isArray(queued) ? queued : (queued?.q ?? [])
    const run = ([method, ...args]: Call) => {
      const fn = (tracker as unknown as Record<string, ((...args: unknown[]) => unknown) | undefined>)[method]
      if (fn) return fn(...args)
      // An unknown method does nothing: a warning here would cost every visitor its bytes.
      if (FULL && helpers[method]) return helpers[method]!(tracker, ...args)
    }
    const spoor: SpoorFunction = (...call) => (early ? void early.push(call) : run(call))
    spoor.tracker = tracker
    // A page that queued in an array goes on pushing to it after load.
    spoor.push = (call) => spoor(...call)
    window.spoor = spoor
    // Calls made before the script loaded run in the next task, off the script's evaluation, and before the
    // automatic page view (a task later), so that an early identify applies to it and a manual page() stands in.
    setTimeout(() => {
      for (const call of early!) run(call)
      early = undefined
    })
    // Page views first: the plugins after it never see a page view it dropped as a repeat. Visits, campaigns and
    // the device (from client hints) are the collector's to derive: no sessions() or devices() here.
    const plugins: Plugin[] = [pageviews({ hash: data.hash != null }), clicks()]
    if (FULL) {
      plugins.push(engagement(), media(), cart({ currency: data.currency }), identifyField(), webVitals())
      if (data.heatmaps != null) plugins.push(heatmaps())
      if (data.npsAfter) plugins.push(npsPrompt({ after: +data.npsAfter, show: showPrompt }))
    }
    // data-off="clicks media" switches plugins off by name.
    for (const plugin of plugins) if (!data.off?.includes(plugin.name)) tracker.use(plugin)
  }
}
