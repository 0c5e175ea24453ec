import { parseArgs } from 'node:util'
import { compactDays } from '@spoor/report'
import { type Command, dataFolderArgument, UsageError } from './command.js'

const usage = `spoor compact — turn the published NDJSON files into one Parquet file per day, for fast reports

Usage: spoor compact DATA_DIR [--day YYYY-MM-DD]...
       spoor compact --data DATA_DIR [--day YYYY-MM-DD]...

  --data DIR   the data folder (the --data of spoor serve), instead of the argument
  --day DAY    only this arrival day (repeat for several); default every day with published files

Writes DATA_DIR/compacted/dt=DAY.<tag>.parquet and its manifest dt=DAY.json (which files, at which sizes, it was
made from), each under a temporary name, synced, then renamed. A day whose files are unchanged is skipped, so
running it again does nothing; a late file, or a file spoor erase rewrote, makes its day compacted again. The
NDJSON files stay the source of truth: spoor report reads compacted days, plus every file they do not cover yet
(the current minute's too). Delete the compacted folder at any time; compacting again rebuilds it. spoor serve
compacts in the background every hour.`

/** `spoor compact`: the published files of a data folder into daily Parquet files. */
export const compact: Command = {
  summary: 'compact the published files into daily Parquet files, so reports over months answer fast',
  usage,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { data: { type: 'string' }, day: { type: 'string', multiple: true } },
    })
    if (values.data !== undefined && positionals.length) throw new UsageError('give the data folder once')
    const dataDir = await dataFolderArgument(values.data !== undefined ? [values.data] : positionals)
    for (const day of values.day ?? []) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new UsageError(`--day ${day} is not a day: write 2026-03-02`)
    }
    const started = Date.now()
    const done = await compactDays({ dataDir, ...(values.day ? { days: values.day } : {}) })
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
