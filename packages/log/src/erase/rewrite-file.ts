import { readFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { type Disk, nodeDisk } from '../disk.js'

/** What rewriting one file did. */
export interface FileOutcome {
  path: string
  removed: number
  kept: number
}

/**
 * Rewrites an NDJSON file without the lines `remove` picks, byte for byte otherwise: the kept lines go to a
 * temporary file beside it (a name no loader globs), which is synced and renamed over the original, and the folder
 * synced; a crash leaves either the old file or the new one, never half of one. A file left with no line is deleted.
 * A file with nothing to remove is not touched at all.
 */
export async function rewriteFile(
  path: string,
  remove: (line: string) => boolean,
  dryRun = false,
  disk: Disk = nodeDisk,
): Promise<FileOutcome> {
  const bytes = await readFile(path)
  const kept: Buffer[] = []
  let removed = 0
  let start = 0
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start)
    if (end === -1) end = bytes.length - 1
    const line = bytes.subarray(start, end + 1)
    const text = line.toString('utf8').trimEnd()
    if (text && remove(text)) removed++
    else kept.push(line)
    start = end + 1
  }
  const outcome = { path, removed, kept: kept.filter((line) => line.length > 1).length }
  if (removed === 0 || dryRun) return outcome
  if (outcome.kept === 0) {
    await disk.unlink(path)
  } else {
    const temporary = join(dirname(path), `.${basename(path)}.erasing`)
    const file = await disk.open(temporary, 'w')
    try {
      const content = Buffer.concat(kept)
      for (let done = 0; done < content.length; )
        done += (await file.write(content, done, content.length - done, done)).bytesWritten
      await file.sync()
    } finally {
      await file.close()
    }
    await disk.rename(temporary, path)
  }
  await disk.syncDirectory(dirname(path))
  return outcome
}
