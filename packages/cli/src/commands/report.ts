import { writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import {
  buildReport,
  daysCompactedByOlderVersion,
  type SiteReportSettings,
  siteReportSettings,
  timeRange,
} from '@spoor/report'
import { parseDuration } from '../duration.js'
import { type Command, dataFolderArgument, readOption, UsageError } from './command.js'
import { loadCheckedConfig } from './load-checked-config.js'

const usage = `spoor report — one self-contained HTML page of charts over a data folder

Usage: spoor report DATA_DIR --out report.html [options]

  --out FILE            where to write the page (- for stdout)
  --site KEY            only this site's events (its write key)
  --from DATE           start of the period (2026-03-01 or an ISO time; default 30 days before --to)
  --to DATE             end of the period (a date includes that day; default now)
  --title TEXT          the page's title (default: the site's key)
  --heatmap-page PATH   the page whose click heatmap shows first (default: the most clicked)
  --cart-window TIME    abandoned-cart window for carts the collector has not decided yet (default 60m)
  --config FILE         the collector's config: the site's goals and funnels (of --site, or its only site) show too

Sections: visitors and page views over time, top pages, referrers and campaigns, user flows, email campaigns
(machine opens and clicks apart), shop funnel, abandoned carts, orders and average order value, engagement, click
heatmap, Core Web Vitals (p75), NPS, survey answers, people and accounts. The same page is served live at
/dashboard by spoor serve when the config has {"dashboard": {"token": "…"}}.

It reads the days spoor compact wrote as Parquet, and every NDJSON file they do not cover, the one still being
written included: what was just sent shows.`

/**
 * The page goals and funnels of the reported site in a config: `--site`'s, or the only site's; none for a report of
 * several sites, as each site defines its own.
 */
async function siteSettings(path: string, writeKey: string | undefined): Promise<SiteReportSettings> {
  const { sites } = await loadCheckedConfig(path)
  const site = writeKey ? sites.find((s) => s.writeKey === writeKey) : sites.length === 1 ? sites[0] : undefined
  if (writeKey && !site) throw new UsageError(`--site ${writeKey} is not a site of ${path}`)
  return siteReportSettings(site)
}

/** `spoor report`: the HTML report of a data folder. */
export const report: Command = {
  usage,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        site: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        title: { type: 'string' },
        'heatmap-page': { type: 'string' },
        'cart-window': { type: 'string' },
        config: { type: 'string' },
      },
    })
    const dataDir = await dataFolderArgument(positionals)
    if (!values.out) throw new UsageError('--out FILE is required (- for stdout)')
    const range = readOption('--from/--to', () => timeRange(values.from, values.to))
    const cartWindowMs = readOption('--cart-window', () => parseDuration(values['cart-window'] ?? '60m'))
    // Said before the report starts: read from their files, such days take minutes at a busy shop's size. Only the
    // period's days: the others are not read.
    const older = await daysCompactedByOlderVersion(dataDir, range.from, range.to)
    if (older.length)
      console.error(
        `${older.length} compacted day(s) (${older[0]}${older.length > 1 ? ` to ${older.at(-1)}` : ''}) were written by an older version of spoor and are read from their NDJSON files, slowly; \`spoor compact ${dataDir}\` writes them again`,
      )
    const { funnels, pageGoals } = values.config
      ? await siteSettings(values.config, values.site)
      : siteReportSettings(undefined)
    const result = await buildReport({
      dataDir,
      ...(funnels.length ? { funnels: { shown: funnels, names: funnels.map((f) => f.name) } } : {}),
      ...(pageGoals.length ? { pageGoals } : {}),
      ...range,
      cartWindowMs,
      ...(values.site ? { writeKey: values.site } : {}),
      ...(values.title ? { title: values.title } : {}),
      ...(values['heatmap-page'] ? { heatmapPath: values['heatmap-page'] } : {}),
    })
    if (values.out === '-') process.stdout.write(result.html)
    else {
      await writeFile(values.out, result.html)
      const empty = result.sections.filter((s) => !s.filled).map((s) => s.id)
      console.error(
        `wrote ${values.out}: ${result.events} events, ${result.sections.length - empty.length} of ${result.sections.length} sections filled${empty.length ? ` (empty: ${empty.join(', ')})` : ''}`,
      )
    }
    if (result.unreadable)
      console.error(
        `skipped ${result.unreadable} line(s) that could not be read (not JSON, or a field of the wrong type)`,
      )
    return 0
  },
}
