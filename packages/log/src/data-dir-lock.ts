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
 * This boot of the machine (Linux), or '' where the system does not say. A lock written in an earlier boot was left
 * by a process that is gone, whatever now runs under its pid.
 */
const bootId = () =>
  readFile('/proc/sys/kernel/random/boot_id', 'utf8').then(
    (text) => text.trim(),
    () => '',
  )

/**
 * Claims a data folder for this process (`DATA/.spoor.lock` holding the pid, and on Linux the boot it runs in), so
 * that recovery never publishes the open files of another collector still writing them. A lock left by a killed
 * process is taken over, and so is one from before the machine restarted: after a power cut, its pid may well
 * belong to another program by now.
 *
 * @returns a function that releases the lock
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true })
  const path = join(dataDir, '.spoor.lock')
  const boot = await bootId()
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(path, boot ? `${process.pid}\n${boot}\n` : String(process.pid), { flag: 'wx' })
      return () => unlink(path).catch(() => {})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const [pid = '', holderBoot = ''] = (await readFile(path, 'utf8').catch(() => '')).split('\n')
    const holder = Number(pid.trim())
    const sameBoot = !boot || !holderBoot.trim() || holderBoot.trim() === boot
    if (holder === process.pid && sameBoot) return async () => {}
    if (Number.isInteger(holder) && holder > 0 && sameBoot && alive(holder)) {
      throw new DataDirBusyError(
        `${dataDir} is in use by another collector (pid ${holder}); give each collector its own --data folder, or remove ${path} if that process is not a collector`,
      )
    }
    await unlink(path).catch(() => {})
  }
  throw new DataDirBusyError(`could not lock ${dataDir}: ${path} keeps reappearing`)
}
