// Reads a Chromium trace (categories `toplevel` and `devtools.timeline`) for the work of one script on the page's
// main thread.

/** A trace event, as much of it as is read here. */
export interface TraceEvent {
  name: string
  ph: string
  ts: number
  dur?: number
  pid: number
  tid: number
  args?: { name?: string; data?: { url?: string } }
}

/**
 * The longest main-thread task in which the script at `url` ran (evaluated, compiled, or called back: timers, event
 * listeners, IndexedDB and fetch callbacks), in ms; and the time spent in those calls themselves, summed.
 */
export function scriptWork(events: TraceEvent[], url: string): { longestTask: number; own: number } {
  const main = events.find(
    (e) =>
      e.ph === 'M' &&
      e.name === 'thread_name' &&
      e.args?.name === 'CrRendererMain' &&
      events.some((f) => f.pid === e.pid && f.tid === e.tid && f.args?.data?.url === url),
  )
  if (!main) return { longestTask: 0, own: 0 }
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined)
  const mine = onMain
    .filter((e) => ['EvaluateScript', 'FunctionCall', 'v8.compile'].includes(e.name) && e.args?.data?.url === url)
    .sort((a, b) => a.ts - b.ts)
  const tasks = onMain.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask')
  let longestTask = 0
  let own = 0
  let end = -Infinity
  for (const e of mine) {
    // Nested calls (a listener called from a call of the same script) count once.
    own += Math.max(0, e.ts + e.dur! - Math.max(e.ts, end))
    end = Math.max(end, e.ts + e.dur!)
    const task = tasks.find((t) => t.ts <= e.ts && e.ts + e.dur! <= t.ts + t.dur!)
    longestTask = Math.max(longestTask, (task ?? e).dur!)
  }
  return { longestTask: longestTask / 1000, own: own / 1000 }
}
