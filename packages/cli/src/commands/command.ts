/** One subcommand of the `spoor` command. */
export interface Command {
  /** One line for `spoor --help`. */
  summary: string
  /** The command's own `--help` text. */
  usage: string
  /** Runs with the arguments after the command's name; resolves to the exit code. */
  run(args: string[]): Promise<number>
}

/** A mistake in the command line, reported with the command's usage. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** Reads one option's value with `read`, turning its error into a {@link UsageError} that names the option. */
export function readOption<T>(name: string, read: () => T): T {
  try {
    return read()
  } catch (error) {
    throw new UsageError(`${name}: ${(error as Error).message}`)
  }
}
