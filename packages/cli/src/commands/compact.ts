import { parseArgs } from 'node:util'
import { compactDays } from '@spoor/report'
import { parseDuration } from '../duration.js'
import { type Command, dataFolderArgument, readOption, UsageError } from './command.js'

const usage = `spoor compact — turn the published NDJSON files into one Parquet file per day, for fast reports

Usage: spoor compact DATA_DIR [--day YYYY-MM-DD]... [--cart-window 60m]
       spoor compact --data DATA_DIR [--day YYYY-MM-DD]... [--cart-window 60m]

  --data DIR          the data folder (the --data of spoor serve), instead of the argument
  --day DAY           only this arrival day (repeat for several); default every day with published files
  --cart-window TIME  the abandoned-cart window of the day's cart decisions (default 60m, as spoor report's)

Writes DATA_DIR/compacted/dt=DAY.<tag>.parquet and its manifest dt=DAY.json (which files, at which sizes, it was
made from), each under a temporary name, synced, then renamed. Each day's Parquet file also holds its lines' visitors
and sessions, and the abandoned and recovered carts due by its end, so that a report reads them instead of deciding
them again. A day whose files are unchanged is skipped, so
running it again does nothing; a late file, or a file spoor erase rewrote, makes its day compacted again. The
NDJSON files stay the source of truth: spoor report reads compacted days, plus every file they do not cover yet
(the current minute's too). Delete the compacted folder at any time; compacting again rebuilds it. spoor serve
compacts in the background every hour.`

/** `spoor compact`: the published files of a data folder into daily Parquet files. */
export const compact: Command = {
  usage,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        day: { type: 'string', multiple: true },
        'cart-window': { type: 'string' },
      },
    })
    if (values.data !== undefined && positionals.length) throw new UsageError('give the data folder once')
    const dataDir = await dataFolderArgument(values.data !== undefined ? [values.data] : positionals)
    for (const day of values.day ?? []) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new UsageError(`--day ${day} is not a day: write 2026-03-02`)
    }
    const cartWindowMs = readOption('--cart-window', () => parseDuration(values['cart-window'] ?? '60m'))
    if (cartWindowMs <= 0) throw new UsageError('--cart-window must be longer than 0')
    const started = Date.now()
    const done = await compactDays({ dataDir, cartWindowMs, ...(values.day ? { days: values.day } : {}) })
    const lines = done.compacted.map(
      (d) =>
        `  ${d.day}: ${d.events} events from ${d.files} file(s)${d.unreadable ? `, ${d.unreadable} unreadable line(s) skipped` : ''}`,
    )
    if (done.dropped.length) lines.push(`  removed (no files left): ${done.dropped.join(', ')}`)
    console.log(
      [
        `compacted ${done.compacted.length} day(s), ${done.unchanged.length} unchanged, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        ...lines,
      ].join('\n'),
    )
    return 0
  },
}
