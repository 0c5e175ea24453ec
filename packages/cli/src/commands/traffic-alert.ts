import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * The memory of a traffic alert, so that a cron job run every few minutes mails one alert per spike, not one per
 * run: `DATA/alerts/<site>.json` holds when the last alert was sent.
 */
const alertFile = (dataDir: string, site: string | undefined) =>
  join(dataDir, 'alerts', `${encodeURIComponent(site ?? '(all sites)')}.json`)

/** Whether an alert may be sent at `now`: none was sent within `everyMs` before it. */
export async function alertDue(dataDir: string, site: string | undefined, everyMs: number, now: Date) {
  const text = await readFile(alertFile(dataDir, site), 'utf8').catch(() => undefined)
  const sentAt = text === undefined ? Number.NaN : Date.parse((JSON.parse(text) as { sentAt?: string }).sentAt ?? '')
  return !(now.getTime() - sentAt < everyMs)
}

/** Notes that an alert went at `now` (written whole, then renamed over the last: a crash leaves one or the other). */
export async function rememberAlert(dataDir: string, site: string | undefined, now: Date, visitors: number) {
  const file = alertFile(dataDir, site)
  await mkdir(join(dataDir, 'alerts'), { recursive: true })
  await writeFile(`${file}.tmp`, JSON.stringify({ sentAt: now.toISOString(), visitors }) + '\n')
  await rename(`${file}.tmp`, file)
}
