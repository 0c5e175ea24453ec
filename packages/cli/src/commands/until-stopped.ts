import { onLauncherExit } from '../on-launcher-exit.js'

/** Resolves with the signal's name at the first SIGTERM, SIGINT or SIGHUP (its terminal closed), or when npm, which launched the process, is gone. */
export function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'))
    process.once('SIGINT', () => resolve('SIGINT'))
    process.once('SIGHUP', () => resolve('SIGHUP'))
    onLauncherExit(() => resolve('launcher exited'))
  })
}
