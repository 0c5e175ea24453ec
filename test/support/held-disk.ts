import type { Disk, DiskFile } from '@spoor/log'

/**
 * A disk whose writes can be held: while `hold()` is on, every write waits before it reaches the disk underneath,
 * so a test can keep a write in flight while it sends something else. `waiting` counts the writes held now.
 */
export function heldDisk(inner: Disk) {
  let gate: Promise<void> | undefined
  let open: (() => void) | undefined
  const state = { waiting: 0 }
  const disk: Disk = {
    async open(path, flags) {
      const file = await inner.open(path, flags)
      const held: DiskFile = {
        write: (async (buffer: Buffer, offset: number, length: number, position: number) => {
          if (gate) {
            state.waiting++
            await gate
            state.waiting--
          }
          return file.write(buffer, offset, length, position)
        }) as DiskFile['write'],
        datasync: () => file.datasync(),
        sync: () => file.sync(),
        truncate: (len) => file.truncate(len),
        close: () => file.close(),
        read: file.read.bind(file),
        stat: file.stat.bind(file),
      }
      return held
    },
    rename: (from, to) => inner.rename(from, to),
    unlink: (path) => inner.unlink(path),
    syncDirectory: (path) => inner.syncDirectory(path),
    freeBytes: (path) => inner.freeBytes(path),
  }
  return {
    disk,
    state,
    hold() {
      gate = new Promise((resolve) => (open = resolve))
    },
    release() {
      gate = undefined
      open?.()
    },
  }
}
