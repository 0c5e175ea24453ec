import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const cli = fileURLToPath(new URL('../../packages/cli/src/cli.ts', import.meta.url))

/** Where and as whom the command runs: a working folder, another user (root only may). */
export interface RunWhere {
  cwd?: string
  uid?: number
  gid?: number
}

/** `spoor serve` on a free port of the loopback address, as every test and benchmark starts it. */
export const serveOnFreePort = ['serve', '--port', '0', '--host', '127.0.0.1']

// Resolved here, so that the command can run from any working folder.
const tsx = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href

/**
 * Runs the `spoor` command from source (tsx, "source" export condition) as a separate process.
 *
 * @param where - its working folder (default: this process's) and user (default: this process's)
 */
export function spawnSpoor(args: string[], env: Record<string, string> = {}, where: RunWhere = {}): ChildProcess {
  return spawn(process.execPath, ['--conditions=source', '--import', tsx, cli, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...where,
  })
}

/** A `spoor` executable for shell scripts, running the command from source as {@link spawnSpoor} does. */
export const spoorScript = () =>
  `#!/bin/sh\nexec '${process.execPath}' --conditions=source --import '${tsx}' '${cli}' "$@"\n`

/** Runs `spoor …` to completion; resolves to its exit code and output. */
export function runSpoor(args: string[], env: Record<string, string> = {}, where: RunWhere = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawnSpoor(args, env, where)
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (chunk) => (stdout += chunk))
    child.stderr!.on('data', (chunk) => (stderr += chunk))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/**
 * The address a started `spoor serve` listens on, read from its first log line; rejects with what it printed if it
 * exits first.
 */
export function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk) => {
      out += chunk
      const match = /"url":"(http:[^"]+)"/.exec(out)
      if (match) resolve(match[1]!)
    })
    child.stderr!.on('data', (chunk) => (out += chunk))
    child.on('exit', () => reject(new Error('spoor serve exited: ' + out)))
  })
}
