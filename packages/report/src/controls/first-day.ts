import { readdir } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * The first arrival day in a data folder (its earliest `events/dt=YYYY-MM-DD` partition), where the dashboard's all
 * time starts; undefined when there is none. The NDJSON files are the record (compacted days are made from them), so
 * their folders say how far back the data goes without a file being read.
 */
export async function firstDataDay(dataDir: string): Promise<Date | undefined> {
  const names = await readdir(join(dataDir, 'events')).catch(() => [] as string[])
  const first = names.filter((name) => /^dt=\d{4}-\d{2}-\d{2}$/.test(name)).sort()[0]
  return first ? new Date(`${first.slice(3)}T00:00:00.000Z`) : undefined
}
