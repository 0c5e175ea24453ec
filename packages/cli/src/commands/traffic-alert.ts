import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * The memory of a traffic alert, so that a cron job run every few minutes mails one alert per spike, not one per
 * run: `DATA/alerts/` holds when the last alert of each site and threshold was sent (two cron lines for one site,
 * 200 visitors to the team and 1,000 to whoever is on call, each keep their own).
 */
const alertFile = (dataDir: string, site: string | undefined, above: number) =>
  join(
    dataDir,
    'alerts',
    `${site === undefined ? 'all-sites' : `site-${encodeURIComponent(site)}`}.above-${above}.json`,
  )

/** Whether an alert may be sent at `now`: none was sent within `everyMs` before it. A file not read is none. */
export async function alertDue(
  dataDir: string,
  site: string | undefined,
  above: number,
  everyMs: number,
  now: Date,
): Promise<boolean> {
  const text = await readFile(alertFile(dataDir, site, above), 'utf8').catch(() => '')
  let sentAt = Number.NaN
  try {
    sentAt = Date.parse((JSON.parse(text) as { sentAt?: unknown } | null)?.sentAt as string)
  } catch {
    // Damaged (a disk that filled mid-write): as if no alert had gone, rather than no alert ever again.
  }
  return !(now.getTime() - sentAt < everyMs)
}

/**
 * Sends an alert with `send`, having first put in place that it went: a memory the job cannot write fails the run
 * before any mail, rather than after each one (every run of a spike would mail again), and a second run meanwhile
 * finds the alert taken. If the mail then fails, the memory before it is put back, so the next run tries again.
 */
export async function sendAlertOnce(
  dataDir: string,
  site: string | undefined,
  above: number,
  record: { now: Date; visitors: number },
  send: () => Promise<void>,
): Promise<void> {
  const file = alertFile(dataDir, site, above)
  const earlier = await readFile(file, 'utf8').catch(() => undefined)
  await mkdir(join(dataDir, 'alerts'), { recursive: true })
  await replace(file, JSON.stringify({ sentAt: record.now.toISOString(), visitors: record.visitors }) + '\n')
  try {
    await send()
  } catch (error) {
    await (earlier === undefined ? rm(file, { force: true }) : replace(file, earlier))
    throw error
  }
}

/** Writes `text` whole under a name of its own, then renames it over `file`: a reader sees the old or the new. */
async function replace(file: string, text: string): Promise<void> {
  const pending = `${file}.${randomUUID()}.tmp`
  try {
    await writeFile(pending, text)
    await rename(pending, file)
  } finally {
    await rm(pending, { force: true })
  }
}
