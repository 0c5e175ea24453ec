import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'

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
