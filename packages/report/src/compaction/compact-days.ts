import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, open, rename, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  cartsFolder,
  compactedFolder,
  type DayManifest,
  dropCompactedDay,
  listDataFiles,
  manifestPath,
  nodeDisk,
  readDayManifests,
  visitsFolder,
} from '@spoor/log'
import { type Db, openDb, stoppable } from '../duckdb.js'
import { extractedColumnsVersion, withExtractedColumns } from '../loaders/extracted-columns.js'
import { emailRows } from '../sql/email-rows.js'
import { contextKeys, derivedLine, lineKeys, placedFrom, sessionsSql } from '../sql/sessions.js'
import { visitPartsSql, visitSummaryVersion } from '../sql/visits.js'
import { concatFiles } from './concat-files.js'
import { decideDayCarts, defaultCartWindowMs, recoverWithinMs } from './day-carts.js'
import { coveredFiles, coversExactly, filesByDay } from './day-files.js'
import { readDayLines } from './day-lines.js'
import { dayMs, dayStart } from './day-names.js'
import { earlierDays, sameNames } from './earlier-days.js'
import { folderTimes, unchangedByFolders } from './files-unchanged.js'
import { writtenByThisVersion } from './older-days.js'
import { assertRoomFor } from './room-for.js'
import { readableLine, sqlList, sqlString } from './sql.js'
import { sweep } from './sweep.js'

/** What {@link compactDays} compacts. */
export interface CompactOptions {
  dataDir: string
  /** Only these days (`YYYY-MM-DD`); default every day with published files. */
  days?: string[]
  /**
   * How long a replaced Parquet file stays for the reports that planned to read it before it was replaced, in ms
   * (default 10 minutes); a later run deletes it.
   */
  graceMs?: number
  /** DuckDB's worker threads (default 2); one leaves a core to the collector it runs beside. */
  threads?: number
  /** The abandoned-cart window the days' cart decisions are made with (default 60 minutes, as the report's). */
  cartWindowMs?: number
  /** The clock (default now): a day still going on has its carts decided as of it. */
  now?: Date
  /**
   * Free space to leave on the data folder's disk, in bytes (default none): a day whose compaction would take it
   * below this is not started, and the run fails saying so. `spoor serve` passes its `--min-free`, the room the
   * collector keeps for events.
   */
  keepFreeBytes?: number
  /**
   * Stops the run: the day being written is abandoned mid-statement (its temporary files removed, the day left as
   * it was) and no other is started; the run then fails with the signal's reason. `spoor serve` stops its
   * compaction so on SIGTERM: rewriting a busy day takes half a minute, past a supervisor's patience (10 s for
   * `docker stop`), whose SIGKILL would leave the day's copy on the disk.
   */
  signal?: AbortSignal
}

/** What a compaction did. */
export interface CompactReport {
  /** Days written (new, or their files changed since). */
  compacted: { day: string; files: number; events: number; unreadable: number }[]
  /** Days whose Parquet file already covered exactly their files. */
  unchanged: string[]
  /** Compacted days whose files are all gone: removed. */
  dropped: string[]
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Rows per row group of a compacted day (DuckDB's default is 122,880): few enough that one holds few kinds of event. */
const rowGroupRows = 16_384

/**
 * The compacted files' codec. Every view reads them again and decompressing was a tenth of the report's CPU with
 * zstd: with LZ4 (the Parquet format's `LZ4_RAW`) the files are half as large again (a month at ten million events:
 * 1,024 against 674 MiB, still a sixth of the NDJSON) and the report's SQL took 8.8–9.0 s against 9.3–9.7 s
 * (Snappy: 9.3–9.4 s).
 */
const codec = 'lz4_raw'

/**
 * Writes one day's Parquet file from its published files, read with the same typed columns the report reads NDJSON
 * with (`context` only where the email section reads it), plus the fields its panels read extracted into columns of
 * their own: the readable lines, the first arrival of each messageId (within the day, and not already in an earlier
 * day's Parquet file, `earlier`), LZ4. Written under a temporary name, synced, then renamed to a name of its own.
 *
 * Its rows are sorted by kind (`type`, then `event`), then time, in row groups of {@link rowGroupRows}: most panels
 * read one kind of event (orders, carts, clicks, page views), and a row group's statistics then let DuckDB skip
 * every other kind's. Sorted by time alone, in DuckDB's default row groups of 122,880 rows (two a day of a busy
 * shop), every panel read every row: at ten million events, the orders, abandoned carts and cart products panels
 * took 3–5 times as long.
 */
async function writeDayParquet(
  raw: Db,
  folder: string,
  day: string,
  paths: string[],
  earlier: string[],
  carts: { windowMs: number; now: Date; earlier: string[]; pendingBefore: string | undefined },
  signal?: AbortSignal,
) {
  const tag = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`
  const parquet = `dt=${day}.${tag}.parquet`
  const temporary = join(folder, `.${parquet}.tmp`)
  const visits = `${visitsFolder}/${parquet}`
  const visitsTemporary = join(folder, visitsFolder, `.${parquet}.tmp`)
  const checkpoint = `${cartsFolder}/dt=${day}.${tag}.json`
  const checkpointTemporary = join(folder, cartsFolder, `.dt=${day}.${tag}.json.tmp`)
  const lines = join(folder, `.${parquet}.ndjson.tmp`)
  const scratch = await mkdtemp(join(tmpdir(), 'spoor-compact-'))
  // Each statement first checks the signal: an interrupt that comes while none runs stops nothing.
  const db = signal ? stoppable(raw, signal) : raw
  try {
    // The day's cart decisions go in with its lines, after them: a decision the collector wrote itself arrived no
    // later, and wins the tie of a messageId.
    const decisions = await decideDayCarts(db, { day, files: paths, scratch, ...carts })
    const decidedPath = join(scratch, 'decided.ndjson')
    await writeFile(decidedPath, decisions.decided.map((line) => JSON.stringify(line) + '\n').join(''))
    await concatFiles([...paths, decidedPath], lines, signal)
    const unreadable = await readDayLines(db, lines, scratch)
    // The rows kept, chosen on a narrow table of their ids: the first arrival of each messageId, unless an earlier
    // day holds it. A retry that arrived on a later day than its first copy is dropped here, so that the report
    // needs no deduplication across the compacted days it reads, only across what it reads beside them.
    const seenBefore = earlier.length ? `ANTI JOIN read_parquet([${sqlList(earlier)}]) earlier USING (messageId)` : ''
    await db.run(
      `CREATE OR REPLACE TABLE day_kept AS
       SELECT rid FROM (
         SELECT rowid AS rid, messageId FROM day_lines WHERE ${readableLine}
         QUALIFY row_number() OVER (PARTITION BY messageId ORDER BY receivedAt, rowid) = 1
       ) firsts ${seenBefore}`,
    )
    // Each line's visitor and session are placed now, once, with the earlier days as context: the report reads
    // them as columns instead of computing them over the whole range on every view.
    await db.run(
      `CREATE OR REPLACE TABLE day_rows AS
       ${withExtractedColumns(`SELECT rowid AS rid, * FROM day_lines WHERE rowid IN (SELECT rid FROM day_kept)`)}`,
    )
    const [earliest] = await db.all<{ since: Date | null }>('SELECT min(timestamp) AS since FROM day_rows')
    const context =
      earlier.length && earliest?.since
        ? `UNION ALL ${contextKeys(
            `read_parquet([${sqlList(earlier)}])`,
            earliest.since,
            `SELECT DISTINCT anonymousId AS visitor, ${derivedLine} AS derived FROM day_rows`,
            'SELECT userId FROM day_rows WHERE anonymousId IS NULL',
          )}`
        : ''
    await db.run(`CREATE OR REPLACE TABLE day_keys AS ${lineKeys('SELECT * FROM day_rows')} ${context}`)
    await db.run(`CREATE OR REPLACE TABLE day_sessions AS ${sessionsSql('day_keys')}`)
    // A line's context is most of its bytes, and the panels read it through the extracted columns: only the rows
    // the email section reads whole keep it. Kept on every row, a filtered view's copy of its rows decoded every
    // row's context to keep a few (at 10M events, 4-5 s of its 8).
    await db.run(
      `COPY (
         SELECT r.* EXCLUDE (rid) REPLACE (CASE WHEN ${emailRows} THEN r.context END AS context),
                ${placedFrom('s')}
         FROM day_rows r JOIN day_sessions s USING (rid)
         ORDER BY r.type, r.event, r.timestamp
       ) TO ${sqlString(temporary)} (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE ${rowGroupRows})`,
    )
    // The day's visits summed up, one row per visit (and site), for the panels that count visits: their entry and
    // exit, source, bounce and length. A report reads these instead of grouping every line of a month by visit.
    await mkdir(join(folder, visitsFolder), { recursive: true })
    await db.run(
      `COPY (${visitPartsSql(`SELECT r.*, ${placedFrom('s')} FROM day_rows r JOIN day_sessions s USING (rid)`)})
       TO ${sqlString(visitsTemporary)} (FORMAT parquet, COMPRESSION ${codec})`,
    )
    const [written] = await db.all<{ events: number; first: Date | null; last: Date | null }>(
      `SELECT count(*) AS events, min(timestamp) AS first, max(timestamp) AS last
       FROM read_parquet(${sqlString(temporary)})`,
    )
    // What the cart detector held at the day's end, for the report to resume from (see `DayManifest.carts`).
    await mkdir(join(folder, cartsFolder), { recursive: true })
    await writeFile(checkpointTemporary, JSON.stringify(decisions.checkpoint))
    await syncFile(temporary)
    await syncFile(visitsTemporary)
    await syncFile(checkpointTemporary)
    await rename(visitsTemporary, join(folder, visits))
    await nodeDisk.syncDirectory(join(folder, visitsFolder))
    await rename(checkpointTemporary, join(folder, checkpoint))
    await nodeDisk.syncDirectory(join(folder, cartsFolder))
    await rename(temporary, join(folder, parquet))
    return {
      parquet,
      visits,
      visitsVersion: visitSummaryVersion,
      events: written?.events ?? 0,
      ...(written?.first && written.last
        ? { times: { first: written.first.toISOString(), last: written.last.toISOString() } }
        : {}),
      unreadable,
      extractedColumns: extractedColumnsVersion,
      carts: { ...decisions.carts, checkpoint },
    }
  } finally {
    // The files first: a day stopped halfway (see `CompactOptions.signal`) leaves none of them behind.
    await rm(scratch, { recursive: true, force: true })
    await rm(temporary, { force: true })
    await rm(visitsTemporary, { force: true })
    await rm(checkpointTemporary, { force: true })
    await rm(lines, { force: true })
    await raw.run('DROP TABLE IF EXISTS day_lines')
    for (const table of ['day_kept', 'day_rows', 'day_keys', 'day_sessions'])
      await raw.run(`DROP TABLE IF EXISTS ${table}`)
  }
}

/**
 * Compacts published hours into one Parquet file per arrival day, `DATA/compacted/dt=YYYY-MM-DD.<tag>.parquet`,
 * beside a manifest `dt=YYYY-MM-DD.json` listing the NDJSON files (path and size) it was made from and the earlier
 * days' Parquet files it was deduplicated against. A day whose manifest still lists exactly its files and those
 * Parquet files is left alone, so running it again does nothing; a late file, or a file erasure rewrote, makes the
 * day compacted again, and with it the week of days after it (see `dedupeDays`). The manifest is written last
 * (temporary name, fsync, rename): it is the commit point, and the report trusts a day's Parquet file only while the
 * manifest matches the files. The NDJSON files stay the source of truth: deleting `DATA/compacted` and compacting
 * again rebuilds it.
 *
 * @example
 * const { compacted } = await compactDays({ dataDir: './data' })
 */
export async function compactDays(options: CompactOptions): Promise<CompactReport> {
  const { dataDir } = options
  const eventsRoot = join(dataDir, 'events')
  const folder = compactedFolder(dataDir)
  const wanted = options.days ? new Set(options.days) : undefined
  const days = filesByDay(await listDataFiles(eventsRoot))
  const manifests = await readDayManifests(dataDir)
  const report: CompactReport = { compacted: [], unchanged: [], dropped: [] }

  for (const day of manifests.keys()) {
    if (!days.has(day) && (!wanted || wanted.has(day)) && (await dropCompactedDay(dataDir, day))) {
      report.dropped.push(day)
    }
  }
  // Each day's Parquet file as it stands, updated as days are written: a day is deduplicated against the ones
  // before it, so it is written again whenever one of those changed (they come first: days go in order).
  const current = new Map([...manifests].map(([day, manifest]) => [day, manifest.parquet]))
  const windowMs = options.cartWindowMs ?? defaultCartWindowMs
  const now = options.now ?? new Date()
  // The carts each compacted day left pending (see DayCarts.pendingFrom), updated as days are written.
  const pendingOf = new Map([...manifests].map(([day, manifest]) => [day, manifest.carts?.pendingFrom]))
  // The earlier days a day's cart decisions replay: those within a window and a recovery period (and an hour of
  // late arrivals) before it, or before the earliest cart the day before left pending.
  const pendingBefore = (day: string) => {
    const before = [...current.keys()].filter((d) => d < day).sort()
    return before.length ? pendingOf.get(before.at(-1)!) : undefined
  }
  const replayed = (day: string, pending: string | undefined) => {
    const start = dayStart(day)
    const from = Math.min(start, pending ? Date.parse(pending) : start) - windowMs - recoverWithinMs - 3_600_000
    return [...current.keys()]
      .filter((d) => d < day && dayStart(d) + dayMs > from)
      .sort()
      .map((d) => current.get(d)!)
  }
  // What an earlier run left, swept first as well as last: a run killed mid-day leaves its day's copy (as large as the
  // day's NDJSON), and on a disk it filled every later run failed before its closing sweep could remove it.
  const graceMs = options.graceMs ?? 10 * 60_000
  await sweep(dataDir, graceMs)
  let db: Db | undefined
  const interrupt = () => db?.interrupt()
  options.signal?.addEventListener('abort', interrupt)
  try {
    for (const [day, files] of days) {
      options.signal?.throwIfAborted()
      if (wanted && !wanted.has(day)) continue
      // Sizes before reading: a file rewritten while it is read then no longer matches, and the day is redone.
      const folders = await folderTimes(eventsRoot, day, files)
      const previous = manifests.get(day)
      // While the day's folders keep the times its last compaction recorded, its files are those it recorded, at the
      // sizes it recorded (see files-unchanged.ts): a run with nothing new looks at 25 folders a day, not 1,440 files.
      const covered =
        previous && unchangedByFolders(eventsRoot, previous, files, folders)
          ? previous.files
          : await coveredFiles(eventsRoot, files)
      const earlier = earlierDays(day).flatMap((d) => current.get(d) ?? [])
      if (
        previous &&
        writtenByThisVersion(previous) &&
        previous.carts?.windowMs === windowMs &&
        sameNames(previous.dedupedAgainst, earlier) &&
        coversExactly(previous, covered)
      ) {
        report.unchanged.push(day)
        continue
      }
      if (covered.length === 0) continue
      await mkdir(folder, { recursive: true })
      await assertRoomFor(
        folder,
        day,
        covered.reduce((sum, file) => sum + file.size, 0),
        options.keepFreeBytes,
      )
      db ??= await openDb(undefined, options.threads)
      const pending = pendingBefore(day)
      const written = await writeDayParquet(
        db,
        folder,
        day,
        covered.map((file) => join(eventsRoot, file.path)),
        earlier.map((name) => join(folder, name)),
        { windowMs, now, earlier: replayed(day, pending).map((name) => join(folder, name)), pendingBefore: pending },
        options.signal,
      )
      const manifest: DayManifest = { day, files: covered, folders, ...written, dedupedAgainst: earlier }
      const temporary = join(folder, `.${written.parquet}.json.tmp`)
      await writeFile(temporary, JSON.stringify(manifest))
      await syncFile(temporary)
      await rename(temporary, manifestPath(dataDir, day))
      await nodeDisk.syncDirectory(folder)
      current.set(day, written.parquet)
      pendingOf.set(day, written.carts.pendingFrom)
      // Marked now, deleted by a run after the grace period: a report that read the old manifest still finds it.
      if (previous) {
        for (const name of [previous.parquet, previous.visits ?? [], previous.carts?.checkpoint ?? []].flat())
          await utimes(join(folder, name), new Date(), new Date()).catch(() => {})
      }
      // An erasure that rewrote one of the files meanwhile dropped the old manifest, not this one: drop it now, so no
      // copy of what it erased stays here.
      if (!coversExactly(manifest, await coveredFiles(eventsRoot, files))) {
        await dropCompactedDay(dataDir, day)
        current.delete(day)
        continue
      }
      report.compacted.push({
        day,
        files: covered.length,
        events: written.events,
        unreadable: written.unreadable,
      })
    }
  } catch (error) {
    // DuckDB's "Interrupted" says less than the reason the run was stopped for.
    options.signal?.throwIfAborted()
    throw error
  } finally {
    options.signal?.removeEventListener('abort', interrupt)
    db?.close()
  }
  await sweep(dataDir, graceMs)
  return report
}
