import { open } from 'node:fs/promises'

/** Makes a directory's entries (a created or renamed file) durable: fsync on the directory itself. */
export async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
