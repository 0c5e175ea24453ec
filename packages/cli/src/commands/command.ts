import { readdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'

/** One subcommand of the `spoor` command (its one line for `spoor --help` is in `cli.ts`). */
export interface Command {
  /** The command's own `--help` text. */
  usage: string
  /** Runs with the arguments after the command's name; resolves to the exit code. */
  run(args: string[]): Promise<number>
}

/** A mistake in the command line, reported with the command's usage. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/**
 * The one data folder a command reads (`spoor carts DIR`, `report`, `erase`), resolved; a missing or extra
 * argument, or a path that is not a folder, is a {@link UsageError}.
 */
export async function dataFolderArgument(positionals: string[]): Promise<string> {
  if (positionals.length !== 1) throw new UsageError('give one data folder (the --data of spoor serve)')
  const dataDir = resolve(positionals[0]!)
  if (!(await stat(dataDir).catch(() => undefined))?.isDirectory()) throw new UsageError(`${dataDir} is not a folder`)
  // A fleet's sinks write one data folder each: their parent, read as one, would show nothing without a word.
  const isDataDir = async (dir: string) => (await stat(join(dir, 'events')).catch(() => undefined))?.isDirectory()
  if (!(await isDataDir(dataDir))) {
    const inner: string[] = []
    for (const entry of await readdir(dataDir, { withFileTypes: true }))
      if (entry.isDirectory() && (await isDataDir(join(dataDir, entry.name)))) inner.push(entry.name)
    if (inner.length)
      throw new UsageError(
        `${dataDir} has no events/ of its own, but its folders ${inner.join(', ')} are data folders (each sink of a fleet writes one): give one of them, or copy their events/ into one folder to read them as one (mkdir MERGED; cp -r ${dataDir}/*/events MERGED/; their files' names do not clash)`,
      )
  }
  return dataDir
}

/** Reads one option's value with `read`, turning its error into a {@link UsageError} that names the option. */
export function readOption<T>(name: string, read: () => T): T {
  try {
    return read()
  } catch (error) {
    throw new UsageError(`${name}: ${(error as Error).message}`)
  }
}
