import type { FilterName } from './filters.js'
import type { RenderView } from './section.js'

/**
 * The longest value, URL-encoded, that a row links a filter by. A link carries the whole value, so that it filters by
 * exactly what the row counted however the page cuts its label. A longer one would weigh on the page in each link
 * that carries it, and soon outgrow what a server takes in a request (Node's 16 KB of headers): its row is text, and
 * a page, source or campaign can still be found by a part with the "containing" form.
 */
export const linkedChars = 2000

/** The link filtering the view by `name=value` on the dashboard; none in a file report, or for a value too long. */
export function rowFilterLink(view: RenderView | undefined, name: FilterName, value: string): string | undefined {
  // Encoding never makes a value shorter: a long one is turned down before it is encoded.
  if (!view?.filterLink || value.length > linkedChars) return undefined
  if (new URLSearchParams({ [name]: value }).toString().length - name.length - 1 > linkedChars) return undefined
  return view.filterLink(name, value)
}
