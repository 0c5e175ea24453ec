/** The command could not start (port taken, data folder not writable): one line, exit code 1. */
export class StartUpError extends Error {
  override name = 'StartUpError'
}

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code

/**
 * Turns a failure to listen on `host`:`port` (as asked for) into a {@link StartUpError} that says what to do; other
 * errors pass through.
 */
export function listenError(error: unknown, host: string, port: number): unknown {
  const at = `${host}:${port}`
  switch (codeOf(error)) {
    case 'EADDRINUSE':
      return new StartUpError(
        `port ${port} is already in use on ${host}: stop the program using it, or choose another port with --port (or PORT)`,
      )
    case 'EACCES':
      return new StartUpError(
        `not allowed to listen on ${at} (ports below 1024 need privileges): choose a port above 1023 with --port`,
      )
    case 'EADDRNOTAVAIL':
      return new StartUpError(
        `--host ${host} is not an address of this machine: use 0.0.0.0 (every address) or 127.0.0.1 (this machine only)`,
      )
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartUpError(`--host ${host} is not a known host name: give an address such as 0.0.0.0 or 127.0.0.1`)
    default:
      return error
  }
}

const reasons: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'part of the path is a file, not a folder',
  EEXIST: 'a file of that name is in the way',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
}

/** Turns a failure to prepare the data folder (create, lock, recover) into a {@link StartUpError}; others pass through. */
export function dataDirError(error: unknown, dataDir: string): unknown {
  const reason = reasons[codeOf(error) ?? '']
  if (!reason) return error
  const path = (error as NodeJS.ErrnoException).path
  const where = path && path !== dataDir ? ` (${path})` : ''
  return new StartUpError(
    `cannot write to the data folder ${dataDir}${where}: ${reason}; fix that, or choose another folder with --data (or SPOOR_DATA_DIR)`,
  )
}
