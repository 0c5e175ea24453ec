import { once } from 'node:events'
import { createReadStream, createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { finished } from 'node:stream/promises'

/**
 * The longest line kept when a file is read again without its oversized lines: DuckDB's `maximum_object_size`
 * (16 MiB by default). No collector writes such a line (an event is at most 32 KB), but a file made by hand or by
 * another tool may hold one.
 */
export const longestLineBytes = 16 * 2 ** 20

// read_json refuses the whole read over one such line ("maximum_object_size" of … exceeded while reading file "…"),
// whatever `ignore_errors` says. Whether a line between 16 and 32 MiB trips it depends on where DuckDB's buffers
// fall, so the refusal is read from the error rather than foreseen: the files are not scanned when it does not come.
const refusal = /"maximum_object_size" of \d+ bytes exceeded while reading file "(.*)" \(>/s

/**
 * Copies `source` to `target` without its lines longer than `longestBytes` (the newline not counted), holding at
 * most one such line's bytes at a time.
 *
 * @returns how many lines were left out
 */
export async function copyWithoutOversizedLines(
  source: string,
  target: string,
  longestBytes = longestLineBytes,
): Promise<number> {
  const out = createWriteStream(target)
  // A failed write (a full disk) is thrown at the next one, or by `finished` below, rather than left to crash the
  // process as an 'error' no one listens to; waiting for 'drain' ends on it too.
  let failure: unknown
  out.on('error', (error) => {
    failure = error
  })
  const write = async (bytes: Buffer) => {
    if (failure) throw failure
    if (!out.write(bytes)) await once(out, 'drain')
  }
  let line: Buffer[] = []
  let lineBytes = 0
  let oversized = false
  let left = 0
  for await (const chunk of createReadStream(source) as AsyncIterable<Buffer>) {
    let start = 0
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start)
      const end = newline === -1 ? chunk.length : newline
      if (!oversized) {
        lineBytes += end - start
        line.push(chunk.subarray(start, newline === -1 ? end : end + 1))
        // Past the limit the line's bytes so far are let go: it is left out whatever follows.
        if (lineBytes > longestBytes) {
          oversized = true
          line = []
        }
      }
      if (newline === -1) break
      if (oversized) left++
      else for (const part of line) await write(part)
      line = []
      lineBytes = 0
      oversized = false
      start = newline + 1
    }
  }
  // A last line without its newline.
  if (oversized) left++
  else for (const part of line) await write(part)
  out.end()
  await finished(out)
  return left
}

/**
 * Runs `read` over NDJSON `paths` (a statement that gives them to DuckDB's read_json); when read_json refuses a file
 * for a line longer than it reads, runs it again over a copy of that file (under `scratch`) without such lines,
 * until it reads them all. A line left out is one the report could not read: the caller counts it as such.
 *
 * @returns what `read` returned, and how many lines were left out
 * @example
 * const { result, oversized } = await readingOversizedLines(paths, scratch, (files) => db.run(`… read_json(…)`))
 */
export async function readingOversizedLines<T>(
  paths: string[],
  scratch: string,
  read: (paths: string[]) => Promise<T>,
): Promise<{ result: T; oversized: number }> {
  let files = paths
  let oversized = 0
  const copies = new Set<string>()
  for (;;) {
    try {
      return { result: await read(files), oversized }
    } catch (error) {
      const refused = refusal.exec((error as Error).message)?.[1]
      // Another failure, or one over a copy already without long lines, which copying again would not change.
      if (refused === undefined || !files.includes(refused) || copies.has(refused)) throw error
      const copy = join(scratch, `without-oversized-lines-${copies.size}.ndjson`)
      oversized += await copyWithoutOversizedLines(refused, copy)
      copies.add(copy)
      files = files.map((file) => (file === refused ? copy : file))
    }
  }
}
