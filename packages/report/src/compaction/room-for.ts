import { nodeDisk } from '@spoor/log'

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

/**
 * Fails unless compacting a day of `bytes` of NDJSON leaves `keep` bytes free: its lines are copied into one file
 * first, as large as they are, and its Parquet files are written beside that copy (a quarter of it is ample).
 */
export async function assertRoomFor(
  folder: string,
  day: string,
  bytes: number,
  keep: number | undefined,
): Promise<void> {
  if (!keep) return
  const needed = Math.ceil(bytes * 1.25)
  const free = await nodeDisk.freeBytes(folder)
  if (free - needed < keep)
    throw new Error(
      `not enough free space to compact ${day}: it takes about ${mib(needed)}, ${mib(free)} free and ${mib(keep)} kept for events`,
    )
}
