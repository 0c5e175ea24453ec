// The parts of the script-tag builds, each as the text edits that take its code out of the sources at bundle time:
// what `feature-costs.mjs` weighs in bytes and `bench/snippet-heap-parts.ts` in heap. The edits name source text as
// it is; when a source changes, a part that uses it stops its run with "not found" until the edit is updated.

import { readFileSync } from 'node:fs'
import { build } from 'esbuild'
import { compress, esbuildOptions } from './build.mjs'

const snippet = 'snippet/src/snippet.ts'
export const features = {
  'page views': [[snippet, 'pageviews({ hash: data.hash != null }), ', '']],
  '  SPA (history, popstate)': [
    ['plugins/pageviews.ts', /for \(const method of[\s\S]*?listen\(tracker, window, 'popstate', later\)/, ''],
    ['plugins/pageviews.ts', "listen(tracker, document, 'visibilitychange', () => waiting && view())", ''],
  ],
  '  hash routing (data-hash)': [
    ['plugins/pageviews.ts', "if (hash) listen(tracker, window, 'hashchange', later)", ''],
    [snippet, '{ hash: data.hash != null }', ''],
  ],
  '  bfcache restore': [
    ['plugins/pageviews.ts', /listen<PageTransitionEvent>\([\s\S]*?'pageshow',[\s\S]*?\n {6}\}\)\n/, ''],
  ],
  '  prerendering': [
    [
      'plugins/pageviews.ts',
      "if (document.prerendering) listen(tracker, document, 'prerenderingchange', view)\n      else setTimeout(view)",
      'setTimeout(view)',
    ],
  ],
  'time zone (once per device)': [
    ['browser/create-tracker.ts', 'batchContext: () => ({ timezone: zone() ?? undefined }),', ''],
    ['browser/create-tracker.ts', 'zone = deviceTimeZone(tracker.storage)', ''],
  ],
  'first page view sent at once': [
    ['core/sender.ts', 'if (first) {\n        first = false\n        void sender._flush(true)\n      } else ', ''],
  ],
  clicks: [[snippet, ', clicks()', '']],
  '  selector': [['plugins/clicks.ts', 'selector: selectorOf(element),', '']],
  '  masked visible text': [['plugins/clicks.ts', /text: .*\n/, '']],
  '  download attribute': [['plugins/clicks.ts', /download: .*\n/, '']],
  '  declarative events': [
    ['plugins/clicks.ts', /const marked = [\s\S]*?propsOf\(marked\)\)/, ''],
    ['plugins/clicks.ts', ',[data-spoor-event]', ''],
  ],
  'identify (user id, traits)': [
    ['core/tracker.ts', /identify\(userId, traits = \{\}\) \{[\s\S]*?\n {4}\},/, 'identify() {},'],
    ['core/identity.ts', /_identify\(userId, more\) \{[\s\S]*?\n {4}\},/, '_identify() {},'],
    ['core/identity.ts', /const known = traits\(\)\n/, ''],
    [
      'core/identity.ts',
      "event.userId = get('uid') ?? undefined\n      if (Object.keys(known).length) event.context!.traits = known",
      '',
    ],
  ],
  'Global Privacy Control': [
    [
      'browser/create-tracker.ts',
      /options\.gpc != false && .*\.globalPrivacyControl\s+\? 'denied'\s+: options\.consent/,
      'options.consent',
    ],
  ],
  'cookieless mode': [['browser/create-tracker.ts', 'const memory = options.cookieless', 'const memory = false']],
  'queue in IndexedDB (vs memory)': [
    ['browser/create-tracker.ts', 'store: memory ? undefined : createIdbStore(name),', 'store: undefined,'],
  ],
  'queue caps and TTL': [
    ['core/queue.ts', /\/\/ From the newest back[\s\S]*?\n {6}\}\n {6}return events/, 'return events'],
  ],
  'retries (backoff, Retry-After)': [
    [
      'core/sender.ts',
      /clearTimeout\(timer\)\n {8}timer = setTimeout\(sender\._flush, retryAfter \?\? backoffDelay\(attempt\+\+\)\)/,
      '',
    ],
    ['browser/fetch-transport.ts', "retryAfter: parseRetryAfter(response.headers.get('retry-after'))", ''],
  ],
  'beacons when hidden': [['core/sender.ts', /_hide\(shown\) \{[\s\S]*?\n {4}\},/, '_hide() {},']],
  'Web Lock between tabs': [['browser/create-tracker.ts', 'lock: createWebLock(name),', 'lock: (task) => task(),']],
  'stub replay (calls before load)': [
    [snippet, /setTimeout\(\(\) => \{\n {6}for \(const call of early[\s\S]*?\n {4}\}\)/, ''],
    [snippet, 'early ? void early.push(call) : run(call)', 'run(call)'],
  ],
  'data-off': [[snippet, 'if (!data.off?.includes(plugin.name)) ', '']],
  warnings: [[snippet, "if (!writeKey) console.warn('spoor: data-write-key missing')\n  else {", 'if (writeKey) {']],
  'web vitals': [[snippet, ', webVitals()', '']],
  cart: [[snippet, ', cart({ currency: data.currency })', '']],
  media: [[snippet, ', media()', '']],
  heatmaps: [[snippet, 'if (data.heatmaps != null) plugins.push(heatmaps())', '']],
  engagement: [[snippet, 'engagement(), ', '']],
  'email field (identify-field)': [[snippet, ', identifyField()', '']],
  'NPS prompt (automatic, on call, loader)': [
    [snippet, 'if (data.npsAfter) plugins.push(npsPrompt({ after: +data.npsAfter, show: showPrompt }))', ''],
    [snippet, ', npsPrompt: (t) => promptNps(t, showPrompt)', ''],
  ],
  'nps, survey, review': [
    [snippet, ' nps, survey, review,', ''],
    [snippet, ', npsPrompt: (t) => promptNps(t, showPrompt)', ''],
  ],
  'alias, group, signOut': [[snippet, 'alias, group, signOut, ', '']],
}
// Parts weighed together as well: marginal costs do not add up, and these pairs were candidates to take out at once.
const f = features
Object.assign(features, {
  'together: identify and the download attribute': [...f['identify (user id, traits)'], ...f['  download attribute']],
  'together: media and heatmaps': [...f.media, ...f.heatmaps],
})

/** Applies the edits `[file ending, text or pattern, replacement]` to the sources as esbuild loads them. */
const edits = (list) => ({
  name: 'edits',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, ({ path }) => {
      const mine = list.filter(([file]) => path.endsWith(file))
      if (!mine.length) return
      let text = readFileSync(path, 'utf8')
      for (const [file, from, to] of mine) {
        if (!(from instanceof RegExp ? from.test(text) : text.includes(from)))
          throw new Error(`${file}: not found: ${from}`)
        text = text.replace(from, to)
      }
      return { contents: text, loader: 'ts' }
    })
  },
})

/**
 * A script-tag build, minified as shipped, with the parts' edits applied.
 *
 * @param full the full build (else the core)
 * @param list the edits of the parts to take out (default none)
 */
export async function buildWithout(full, list = []) {
  const options = esbuildOptions('snippet.ts', full)
  const bundled = await build({
    ...options,
    write: false,
    logLevel: 'error',
    plugins: [edits(list), ...options.plugins],
  })
  return compress(bundled.outputFiles[0].text)
}
