import type { Segment } from '../site-segments.js'
import { linkChoices } from './link-choices.js'
import { filterParams, type ViewQuery, viewLink } from './view-link.js'

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((item) => b.includes(item))

/**
 * The toolbar's row of a site's segments: each link sets its filters in place of the view's, the range and the rest
 * kept, and is marked while the view holds exactly its filters.
 */
export function segmentLinks(query: ViewQuery, segments: Segment[]): string {
  // The view's filters are what a segment replaces.
  const setNow = filterParams.filter((param) => query[param]).map((param) => `${param}=${query[param]}`)
  return linkChoices(
    'Segments',
    'ranges segments',
    segments.map((segment) => ({
      href: viewLink(query, {
        ...Object.fromEntries(filterParams.map((param) => [param, undefined])),
        ...Object.fromEntries(segment.filters),
      }),
      label: segment.name,
      current: sameSet(
        setNow,
        segment.filters.map(([param, value]) => `${param}=${value}`),
      ),
    })),
    '<span class="row-label">Segments</span>',
  )
}
