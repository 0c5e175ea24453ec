import { open, statfs, type FileHandle } from 'node:fs/promises'

/** The parts of an open file the sink uses. */
export type DiskFile = Pick<FileHandle, 'write' | 'datasync' | 'sync' | 'truncate' | 'close'>

/**
 * The file system as the sink sees it: opening files and asking for free space. The real one is Node's; tests
 * pass one that fails like a full or broken disk does, since a real full disk cannot be arranged everywhere.
 */
export interface Disk {
  open(path: string, flags: string | number): Promise<DiskFile>
  /** Bytes an unprivileged writer may still use on the file system holding `path`. */
  freeBytes(path: string): Promise<number>
}

/** Node's file system. */
export const nodeDisk: Disk = {
  open: (path, flags) => open(path, flags),
  freeBytes: async (path) => {
    const stats = await statfs(path)
    return stats.bavail * stats.bsize
  },
}
