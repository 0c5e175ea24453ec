import { readdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { type Disk, nodeDisk } from './disk.js'
import { type Durability, openSuffix } from './log-file.js'

/** What recovery did: files published, empty ones removed, bytes cut from unfinished tails. */
export interface RecoveryReport {
  published: number
  removed: number
  cutBytes: number
}

const chunkBytes = 1024 * 1024

/**
 * The length of the longest prefix of `file` made of complete lines that each parse as JSON. Whatever follows was
 * never acknowledged: acknowledged lines are a prefix, written and synced before the answer.
 */
async function validPrefix(disk: Disk, path: string): Promise<{ keep: number; size: number }> {
  const handle = await disk.open(path, 'r')
  try {
    const { size } = await handle.stat()
    let keep = 0
    let carry = Buffer.alloc(0)
    let position = 0
    while (position < size) {
      const buffer = Buffer.allocUnsafe(Math.min(chunkBytes, size - position))
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position)
      if (bytesRead === 0) break
      position += bytesRead
      const data = carry.length ? Buffer.concat([carry, buffer.subarray(0, bytesRead)]) : buffer.subarray(0, bytesRead)
      let start = 0
      for (let end = data.indexOf(10); end !== -1; end = data.indexOf(10, start)) {
        try {
          const line = JSON.parse(data.toString('utf8', start, end)) as unknown
          if (typeof line !== 'object' || line === null) return { keep, size }
        } catch {
          return { keep, size }
        }
        keep += end + 1 - start
        start = end + 1
      }
      carry = Buffer.from(data.subarray(start))
    }
    return { keep, size }
  } finally {
    await handle.close()
  }
}

/**
 * Finishes what a killed collector left: every `*.ndjson.open` under `root` is cut back to its last complete,
 * parseable line, synced, and published by rename (or removed when nothing complete is left). A published file
 * therefore never holds a partial line.
 *
 * @param skip - files still being written by this process, left alone (default: none)
 * @param disk - the file system (default: Node's)
 * @example
 * const report = await recoverOpenFiles('data/events', 'fsync')
 * // → { published: 1, removed: 0, cutBytes: 37 }
 */
export async function recoverOpenFiles(
  root: string,
  durability: Durability,
  skip: (openPath: string) => boolean = () => false,
  disk: Disk = nodeDisk,
): Promise<RecoveryReport> {
  const report: RecoveryReport = { published: 0, removed: 0, cutBytes: 0 }
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return []
      throw error
    },
  )
  const touched = new Set<string>()
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.ndjson' + openSuffix)) continue
    const openPath = join(entry.parentPath, entry.name)
    if (skip(openPath)) continue
    const { keep, size } = await validPrefix(disk, openPath)
    report.cutBytes += size - keep
    if (keep === 0) {
      await disk.unlink(openPath)
      report.removed++
    } else {
      const handle = await disk.open(openPath, 'r+')
      try {
        if (keep < size) await handle.truncate(keep)
        if (durability === 'fsync') await handle.sync()
      } finally {
        await handle.close()
      }
      await disk.rename(openPath, openPath.slice(0, -openSuffix.length))
      report.published++
    }
    touched.add(dirname(openPath))
  }
  if (durability === 'fsync') for (const dir of touched) await disk.syncDirectory(dir)
  return report
}
