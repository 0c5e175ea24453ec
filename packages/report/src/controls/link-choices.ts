import { esc } from '../html.js'

/** One link of a {@link linkChoices} row: where it leads, what it says, and whether it is the view on screen. */
export interface LinkChoice {
  href: string
  label: string
  current: boolean
}

/**
 * A row of links, one per choice (periods, comparisons, a chart's intervals, a site's funnels), the one on screen
 * marked `aria-current`: plain links, so a choice works with no script and lands in the URL. `label` is escaped here.
 *
 * @param name - what the row chooses, for assistive technology (`Period`)
 * @param classes - the nav's classes (`ranges` in the toolbar, `choices` in a panel)
 */
export const linkChoices = (name: string, classes: string, choices: LinkChoice[], lead = '') =>
  `<nav class="${classes}" aria-label="${esc(name)}">${lead}${choices
    .map(
      (choice) =>
        `<a class="range" href="${esc(choice.href)}"${choice.current ? ' aria-current="page"' : ''}>${esc(choice.label)}</a>`,
    )
    .join('')}</nav>`
