import { readFileSync } from 'node:fs'

/** Options of `onLauncherExit`. */
export interface LauncherWatchOptions {
  /** The launcher's process id (default: this process's parent, when npm started it; else nothing is watched). */
  pid?: number
  /** How often to look, in ms (default 500). */
  intervalMs?: number
}

/** True while `pid` names a running process (a zombie, dead but not yet reaped, counts as gone). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    // Linux only: the state letter follows the command name, which is in parentheses and may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat[stat.lastIndexOf(')') + 2] !== 'Z'
  } catch {
    return true
  }
}

/**
 * Calls `onExit` once, when the process that launched this one is gone. npm (`npx spoor …`, `npm start`) runs a
 * command through a shell and, on SIGTERM, signals only that shell, which dies without passing the signal on: the
 * collector would run on with nobody left to stop it. By default only a process started by npm watches its parent,
 * so that one started in the background of a shell (`nohup spoor serve &`) outlives that shell, as asked.
 *
 * @returns a function that stops watching
 * @example
 * onLauncherExit(() => void server.close())
 */
export function onLauncherExit(onExit: () => void, options: LauncherWatchOptions = {}): () => void {
  const pid = options.pid ?? (process.env.npm_command ? process.ppid : undefined)
  if (pid === undefined || pid <= 1) return () => {}
  const timer = setInterval(() => {
    if (running(pid)) return
    clearInterval(timer)
    onExit()
  }, options.intervalMs ?? 500)
  // Watching never keeps the process alive by itself.
  timer.unref()
  return () => clearInterval(timer)
}
