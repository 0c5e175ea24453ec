import { barList } from '../charts/bar-list.js'
import { hints } from '../hints.js'
import { plural } from '../html.js'
import { defineSection, type Section } from '../section.js'
import { linkClicksSql } from '../sql/link-clicks.js'

type LinkClicks = { link: string; clicks: number; visitors: number }[]

/** What tells the outbound-links and downloads panels apart; the rest (query, bars, CSV) they share. */
interface LinkClicksPanel extends Pick<Section<LinkClicks>, 'id' | 'kind' | 'title' | 'subtitle'> {
  /** The click's flag, set at ingest. */
  flag: 'outbound' | 'download'
  /** The CSV's name for the link column. */
  column: string
  colour: string
}

/** A panel of the clicks whose flag is set, by link, with their visitors. */
export const linkClicksSection = ({ flag, column, colour, ...panel }: LinkClicksPanel) =>
  defineSection({
    ...panel,
    hint: hints.clicks,
    load: ({ db }) => db.all<LinkClicks[number]>(linkClicksSql(flag)),
    filled: (rows) => rows.length > 0,
    render: (rows) =>
      barList(
        rows.map((r) => ({
          label: r.link,
          value: r.clicks,
          note: plural(r.visitors, 'visitor'),
          metric: `${flag}:${r.link}`,
        })),
        colour,
      ),
    csv: (rows) => ({ header: [column, 'clicks', 'visitors'], rows: rows.map((r) => [r.link, r.clicks, r.visitors]) }),
  })
