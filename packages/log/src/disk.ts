import { type FileHandle, open, rename, statfs, unlink } from 'node:fs/promises'
import { syncDirectory } from './sync-directory.js'

/** The parts of an open file the log uses. */
export type DiskFile = Pick<FileHandle, 'write' | 'read' | 'stat' | 'datasync' | 'sync' | 'truncate' | 'close'>

/**
 * The file system as the log sees it: every operation it makes on its files (open, rename, unlink, a directory's
 * fsync) and the free space it asks for. The real one is Node's; tests pass one that fails like a full or broken
 * disk does, at any of these operations, since a real failing disk cannot be arranged everywhere.
 */
export interface Disk {
  open(path: string, flags: string | number): Promise<DiskFile>
  /** Renames atomically within one file system (a publish, a rewritten file put in place). */
  rename(from: string, to: string): Promise<void>
  unlink(path: string): Promise<void>
  /** Makes a directory's entries (a created, renamed or removed file) durable: fsync on the directory itself. */
  syncDirectory(path: string): Promise<void>
  /** Bytes an unprivileged writer may still use on the file system holding `path`. */
  freeBytes(path: string): Promise<number>
}

/** Node's file system. */
export const nodeDisk: Disk = {
  open: (path, flags) => open(path, flags),
  rename: (from, to) => rename(from, to),
  unlink: (path) => unlink(path),
  syncDirectory,
  freeBytes: async (path) => {
    const stats = await statfs(path)
    return stats.bavail * stats.bsize
  },
}
