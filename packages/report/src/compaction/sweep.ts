import { readdir, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { cartsFolder, compactedFolder, readDayManifests, visitsFolder } from '@spoor/log'

/**
 * Deletes the Parquet files (of events, and of visits) and the cart checkpoints no manifest names any more, and what
 * a stopped compaction left (names starting with `.`), once older than the grace period.
 */
export async function sweep(dataDir: string, graceMs: number): Promise<void> {
  const folder = compactedFolder(dataDir)
  const manifests = [...(await readDayManifests(dataDir)).values()]
  const named = new Set(
    manifests.flatMap((manifest) => [manifest.parquet, manifest.visits ?? [], manifest.carts?.checkpoint ?? []].flat()),
  )
  for (const within of ['', visitsFolder, cartsFolder]) {
    for (const entry of await readdir(join(folder, within)).catch(() => [] as string[])) {
      const name = within ? `${within}/${entry}` : entry
      const unnamed =
        (entry.endsWith('.parquet') || (within === cartsFolder && entry.endsWith('.json'))) && !named.has(name)
      if (!unnamed && !(entry.startsWith('.') && entry.endsWith('.tmp'))) continue
      const stats = await stat(join(folder, name)).catch(() => undefined)
      if (stats && Date.now() - stats.mtimeMs >= graceMs) await unlink(join(folder, name)).catch(() => {})
    }
  }
}
