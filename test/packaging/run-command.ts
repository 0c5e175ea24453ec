import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

/**
 * This process's environment without the `npm_*` variables that `npm test` sets (its package, its folder, its
 * command), so that npm and npx started by a test behave as they do when a person types them in a shell. The
 * settings that say where the cache and the registry are stay.
 */
export function shellEnv(): NodeJS.ProcessEnv {
  const kept = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_cafile', 'npm_config_userconfig'])
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) || kept.has(name.toLowerCase())),
  )
}

/** Starts a command in `cwd` with `shellEnv()`, its output piped. */
export function start(command: string, args: string[], cwd: string): ChildProcess {
  return spawn(command, args, { cwd, env: shellEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
}

/** Runs a command to completion; resolves to its exit code and output. */
export function run(command: string, args: string[], cwd: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = start(command, args, cwd)
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (chunk) => (stdout += chunk))
    child.stderr!.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** True while `pid` names a live process that is not a zombie (Linux shows a dead, unreaped one as state Z). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat[stat.lastIndexOf(')') + 2] !== 'Z'
  } catch {
    return true
  }
}
