import type { Plugin } from '../core/plugin.js'
import { listen } from './listen.js'
import { propsOf } from './props-of.js'

// What a visitor means to click: the element reported is the nearest of these around the click's target.
const interactive = 'a,button,input,select,textarea,label,[role=button],[data-spoor-event]'
// Never read: masked elements and form fields (their text would be a value), nor scripts and styles.
const unreadable = '[data-spoor-mask],input,select,textarea,script,style'

/** Visible text of a node, leaving out what is {@link unreadable}; `textContent` would take it all. */
const textOf = (node: Node): string =>
  node.nodeType == 3
    ? node.nodeValue!
    : node.nodeType == 1 && !(node as Element).matches(unreadable)
      ? [...node.childNodes].map(textOf).join('')
      : ''

/** A short CSS selector that survives re-renders: up to three levels, stopping at the first id. */
const selectorOf = (element: Element | null): string => {
  let selector = ''
  for (let depth = 3; element && depth--; element = element.parentElement) {
    const { id, localName, classList } = element
    selector =
      (id
        ? '#' + CSS.escape(id)
        : localName +
          [...classList]
            .slice(0, 2)
            .map((c) => '.' + CSS.escape(c))
            .join('')) + (selector && '>' + selector)
    if (id) break
  }
  return selector
}

/**
 * Records clicks with one delegated listener: `Element Clicked` with a selector, the tag, trimmed visible text
 * (none inside `data-spoor-mask`, never a form value), the link (and whether it has a `download` attribute), page and
 * viewport coordinates and sizes (what a click heatmap needs). Elements marked `data-spoor-event="Name"` also
 * record that event with their `data-spoor-prop-*`. What follows from these facts, the collector derives: whether
 * the link is outbound or a download, and rage clicks (three or more within a second on one spot).
 *
 * @example
 * createTracker({ writeKey, endpoint, plugins: [pageviews(), clicks()] })
 */
export const clicks = (): Plugin => ({
  name: 'clicks',
  setup(tracker) {
    // Capture phase: a page handler that stops propagation must not hide the click.
    listen<MouseEvent>(
      tracker,
      document,
      'click',
      (event) => {
        const target = event.target as Element
        const element = target.closest(interactive) ?? target
        const link = element.closest('a')
        const root = document.documentElement
        tracker.track('Element Clicked', {
          selector: selectorOf(element),
          tag: element.localName,
          text: element.closest(unreadable) ? '' : textOf(element).replace(/\s+/g, ' ').trim().slice(0, 100),
          // biome-ignore lint/complexity/useOptionalChain: null, not undefined, for a click off any link, as lines have it
          href: link && link.href,
          x: Math.round(event.pageX),
          y: Math.round(event.pageY),
          client_x: Math.round(event.clientX),
          client_y: Math.round(event.clientY),
          page_width: root.scrollWidth,
          page_height: root.scrollHeight,
          viewport_width: innerWidth,
          viewport_height: innerHeight,
          download: !!link?.hasAttribute('download'),
        })
        const marked = element.closest('[data-spoor-event]')
        if (marked) tracker.track(marked.getAttribute('data-spoor-event')!, propsOf(marked))
      },
      true,
    )
  },
})
