import { type Disk, type DiskFile, nodeDisk } from '@spoor/log'

/**
 * A disk of `capacity` bytes over the real one: writes past it fail with ENOSPC after writing what fits, as a
 * full file system does; `free` reports what is left. Raise `capacity` to give space back. `failSync` makes
 * fsync fail with EIO (a dying disk); `fail` names other operations that fail with EIO (a rename, an unlink, a
 * directory's fsync), each counted in `failed`.
 */
export function faultyDisk(capacity: number) {
  const state = {
    capacity,
    used: 0,
    failSync: false,
    writes: 0,
    failWrite: 0,
    fail: new Set<'rename' | 'unlink' | 'syncDirectory'>(),
    failed: 0,
  }
  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
  const eio = (operation: 'rename' | 'unlink' | 'syncDirectory') => {
    if (!state.fail.has(operation)) return
    state.failed++
    throw Object.assign(new Error(`EIO: i/o error, ${operation}`), { code: 'EIO' })
  }
  const disk: Disk = {
    async open(path, flags) {
      const file = await nodeDisk.open(path, flags)
      const wrapped: DiskFile = {
        write: (async (buffer: Buffer, offset: number, length: number, position: number) => {
          state.writes++
          if (state.writes === state.failWrite) throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' })
          if (state.failSync) throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' })
          const room = Math.max(0, state.capacity - state.used)
          if (room === 0) throw enospc()
          const n = Math.min(room, length)
          const result = await file.write(buffer, offset, n, position)
          state.used += result.bytesWritten
          return result
        }) as DiskFile['write'],
        datasync: async () => {
          if (state.failSync) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })
          return file.datasync()
        },
        sync: () => file.sync(),
        truncate: (len) => file.truncate(len),
        close: () => file.close(),
        read: file.read.bind(file),
        stat: file.stat.bind(file),
      }
      return wrapped
    },
    rename: async (from, to) => {
      eio('rename')
      return nodeDisk.rename(from, to)
    },
    unlink: async (path) => {
      eio('unlink')
      return nodeDisk.unlink(path)
    },
    syncDirectory: async (path) => {
      eio('syncDirectory')
      return nodeDisk.syncDirectory(path)
    },
    freeBytes: async () => Math.max(0, state.capacity - state.used),
  }
  return { disk, state }
}
