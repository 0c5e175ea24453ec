import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Another live collector writes to this data folder. */
export class DataDirBusyError extends Error {
  override name = 'DataDirBusyError'
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Claims a data folder for this process (`DATA/.spoor.lock` holding the pid), so that recovery never publishes the
 * open files of another collector still writing them. A lock left by a killed process is taken over.
 *
 * @returns a function that releases the lock
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true })
  const path = join(dataDir, '.spoor.lock')
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx' })
      return () => unlink(path).catch(() => {})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim())
    if (holder === process.pid) return async () => {}
    if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
      throw new DataDirBusyError(
        `${dataDir} is in use by another collector (pid ${holder}); give each collector its own --data folder, or remove ${path} if that process is not a collector`,
      )
    }
    await unlink(path).catch(() => {})
  }
  throw new DataDirBusyError(`could not lock ${dataDir}: ${path} keeps reappearing`)
}
