import { execFileSync } from 'node:child_process'
import { readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { TestContext } from 'vitest'
import { tempDir } from './helpers.js'

/**
 * Runs `test` on a tmpfs of `size` (`1m`), unmounted after; skips the test where mounting is not allowed (it needs
 * root and a kernel that allows it).
 */
export async function onSmallDisk(ctx: TestContext, size: string, test: (mount: string) => Promise<void>) {
  const mount = await tempDir('spoor-tmpfs-')
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mount], { stdio: 'ignore' })
  } catch {
    ctx.skip()
  }
  try {
    await test(mount)
  } finally {
    execFileSync('umount', ['-l', mount])
  }
}

/** Fills the disk of `folder` to its last byte with files named `ballast-*`, which {@link freeDisk} removes. */
export async function fillDisk(folder: string): Promise<void> {
  for (const size of [64 * 1024, 4096, 1]) {
    for (let i = 0; ; i++) {
      try {
        await writeFile(join(folder, `ballast-${size}-${i}`), Buffer.alloc(size), { flag: 'wx' })
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break
        throw error
      }
    }
  }
}

/** Removes what {@link fillDisk} wrote in `folder`. */
export async function freeDisk(folder: string): Promise<void> {
  for (const name of await readdir(folder)) if (name.startsWith('ballast-')) await rm(join(folder, name))
}
