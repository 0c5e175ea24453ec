import { writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import {
  buildReport,
  daysCompactedByOlderVersion,
  headlineFigure,
  mailPeriod,
  mailPeriodKind,
  rangePeriod,
  type SiteReportSettings,
  siteReportSettings,
  summaryMail,
  timeRange,
} from '@spoor/report'
import { parseDuration } from '../duration.js'
import { type Command, dataFolderArgument, readOption, UsageError } from './command.js'
import { loadCheckedConfig } from './load-checked-config.js'
import { sendMail, shownSmtp } from './send-mail.js'
import { alertDue, sendAlertOnce } from './traffic-alert.js'

const usage = `spoor report — one self-contained HTML page of charts over a data folder

Usage: spoor report DATA_DIR --out report.html [options]
       spoor report DATA_DIR --period week --mail-to ADDRESS --mail-from ADDRESS [options]
       spoor report DATA_DIR --alert-above N --mail-to ADDRESS --mail-from ADDRESS [options]

  --out FILE            where to write the page (- for stdout)
  --site KEY            only this site's events (its write key)
  --from DATE           start of the period (2026-03-01 or an ISO time; default 30 days before --to)
  --to DATE             end of the period (a date includes that day; default now)
  --title TEXT          the page's title (default: the site's key)
  --heatmap-page PATH   the page whose click heatmap shows first (default: the most clicked)
  --cart-window TIME    abandoned-cart window for carts the collector has not decided yet (default 60m)
  --config FILE         the collector's config: the site's goals and funnels (of --site, or its only site) show too
  --period week|month   the last whole week (Monday to Sunday) or calendar month before now, UTC (not with --from/--to)
  --mail-to ADDRESS     mail a summary (headline figures against the period before, top pages, referrers, goals)
                        to this address; repeat for several. Run it from cron for a weekly or monthly mail
  --mail-from ADDRESS   the mail's sender (default: $SPOOR_MAIL_FROM)
  --smtp URL            the SMTP server, smtp://user:password@host:587 or smtps://…:465 (default: $SPOOR_SMTP_URL,
                        which keeps the password off the command line)
  --dashboard-url URL   linked at the end of the mail
  --alert-above N       mail only if the last hour had N visitors or more (a traffic spike), at most once per
                        --alert-every for that site and N (remembered in DATA_DIR/alerts/): run it from cron
                        every few minutes
  --alert-every TIME    with --alert-above: the least time between two alerts of a site and N (default 12h)

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

// One address, as a mail's header takes it: `name@host`, or `Name <name@host>` whose name holds no `@`, `,` or `;`
// (which would make it several addresses) and no quotes or line breaks.
const address = /^[^\s@<>,;"]+@[^\s@<>,;"]+$|^[^\r\n<>@,;"]*<[^\s@<>,;"]+@[^\s@<>,;"]+>$/

/** The mail's sender and SMTP server, from the options or the environment, each checked. */
function mailSettings(to: string[], values: { 'mail-from'?: string; smtp?: string }) {
  const from = values['mail-from'] ?? process.env.SPOOR_MAIL_FROM
  const smtp = values.smtp ?? process.env.SPOOR_SMTP_URL
  for (const recipient of to) {
    if (!address.test(recipient)) throw new UsageError(`--mail-to "${recipient}" is not an address (name@example.com)`)
  }
  if (!from) throw new UsageError('--mail-to needs a sender: --mail-from or $SPOOR_MAIL_FROM ("spoor <reports@…>")')
  if (!address.test(from)) throw new UsageError(`--mail-from "${from}" is not an address`)
  if (!smtp) throw new UsageError('--mail-to needs an SMTP server: --smtp or $SPOOR_SMTP_URL (smtp://user:pass@host)')
  // Not echoed: a mistyped address may hold its password where no parser sees one.
  if (!/^smtps?:\/\/[^/\s]+/.test(smtp)) throw new UsageError('--smtp: the SMTP server is not smtp://… or smtps://…')
  return { from, smtp }
}

const hour = 3_600_000

/** `--alert-above` and `--alert-every`, checked: an alert is a mail, over the last hour. */
function alertSettings(
  values: { 'alert-above'?: string; 'alert-every'?: string; period?: string; from?: string; to?: string; out?: string },
  mailTo: string[],
) {
  const above = Number(values['alert-above'])
  if (!Number.isInteger(above) || above < 1) throw new UsageError('--alert-above is a number of visitors: 1, 2…')
  if (!mailTo.length) throw new UsageError('--alert-above needs --mail-to: an alert is a mail')
  if (values.period || values.from || values.to || values.out)
    throw new UsageError('--alert-above reads the last hour and mails it: no --period, --from, --to or --out')
  const everyMs = readOption('--alert-every', () => parseDuration(values['alert-every'] ?? '12h'))
  return { above, everyMs }
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
        period: { type: 'string' },
        'mail-to': { type: 'string', multiple: true },
        'mail-from': { type: 'string' },
        smtp: { type: 'string' },
        'dashboard-url': { type: 'string' },
        'alert-above': { type: 'string' },
        'alert-every': { type: 'string' },
      },
    })
    const dataDir = await dataFolderArgument(positionals)
    const mailTo = values['mail-to'] ?? []
    if (!values.out && !mailTo.length) throw new UsageError('--out FILE is required (- for stdout), or --mail-to')
    const mailer = mailTo.length ? mailSettings(mailTo, values) : undefined
    if (values.period && (values.from || values.to)) throw new UsageError('--period and --from/--to: give one')
    const now = new Date()
    if (values['alert-every'] && values['alert-above'] === undefined)
      throw new UsageError('--alert-every needs --alert-above')
    const alert = values['alert-above'] === undefined ? undefined : alertSettings(values, mailTo)
    const period = values.period
      ? readOption('--period', () => mailPeriod(mailPeriodKind(values.period!), now))
      : alert
        ? { ...rangePeriod({ from: new Date(now.getTime() - hour), to: now }), label: 'the last hour' }
        : undefined
    const range = period ?? readOption('--from/--to', () => timeRange(values.from, values.to))
    const mailed = period ?? rangePeriod(range)
    // Nothing to read while the last alert is recent: a job every five minutes costs a file's read.
    if (alert && !(await alertDue(dataDir, values.site, alert.above, alert.everyMs, now))) return 0
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
      // A mail gives each headline figure's change: against the period before, of the same length.
      ...(mailer ? { compareWith: mailed.previous } : {}),
    })
    const visitors = headlineFigure(result, 'visitors')
    if (alert && !(visitors >= alert.above)) return 0
    if (mailer) {
      const title = values.title ?? values.site ?? 'All sites'
      const mail = summaryMail(result, {
        title,
        period: mailed,
        ...(alert ? { subject: `${title}: a traffic spike, ${visitors} visitors in the last hour` } : {}),
        ...(values['dashboard-url'] ? { dashboardUrl: values['dashboard-url'] } : {}),
      })
      const send = () => sendMail(mailer.smtp, { from: mailer.from, to: mailTo, ...mail }).then(() => {})
      try {
        if (alert) await sendAlertOnce(dataDir, values.site, alert.above, { now, visitors }, send)
        else await send()
      } catch (error) {
        console.error(`could not send the mail through ${shownSmtp(mailer.smtp)}: ${(error as Error).message}`)
        return 1
      }
      // Said at a terminal only: cron mails whatever a job writes, and a mail a week saying it worked buries the one
      // that says it did not.
      if (process.stderr.isTTY) console.error(`mailed "${mail.subject}" to ${mailTo.join(', ')}`)
    }
    if (values.out === '-') process.stdout.write(result.html)
    else if (values.out) {
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
