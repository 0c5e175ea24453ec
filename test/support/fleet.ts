import type { ChildProcess } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { basic } from './helpers.js'
import { runSpoor, serveOnFreePort, spawnSpoor } from './run-cli.js'

/** One `spoor` process of a fleet. */
export interface FleetProcess {
  /** Its process id (CPU time is read from /proc by the benchmark). */
  pid: number
  /** What it printed so far (stdout and stderr). */
  output(): string
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>
}

/** Starts `spoor ARGS` and resolves once its output matches `ready`; rejects with its output if it exits first. */
export function startSpoor(
  args: string[],
  ready: RegExp,
  timeoutMs = 30_000,
): Promise<FleetProcess & { match: RegExpExecArray }> {
  const child: ChildProcess = spawnSpoor(args)
  let out = ''
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`spoor ${args[0]} not ready within ${timeoutMs} ms: ${out}`)),
      timeoutMs,
    )
    const seen = (chunk: Buffer) => {
      out = (out + chunk).slice(-200_000)
      const match = ready.exec(out)
      if (match && timer) {
        clearTimeout(timer)
        resolve({
          pid: child.pid!,
          match,
          output: () => out,
          async stop(signal = 'SIGTERM') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal)
            await exit
          },
        })
      }
    }
    child.stdout!.on('data', seen)
    child.stderr!.on('data', seen)
    void exit.then(() => {
      clearTimeout(timer)
      reject(new Error(`spoor ${args[0]} exited: ${out}`))
    })
  })
}

/** `spoor serve --stream` on a free port of 127.0.0.1; resolves with its URL. */
export async function startStreamCollector(servers: string, config: string, extra: string[] = []) {
  const process = await startSpoor(
    [...serveOnFreePort, '--config', config, '--stream', servers, '--rate-limit-ip', '0', ...extra],
    /"url":"(http:[^"]+)"/,
  )
  return { ...process, url: process.match[1]! }
}

/** `spoor sink` writing to `dataDir`, files published within 300 ms. */
export const startSink = (servers: string, dataDir: string) =>
  startSpoor(
    ['sink', '--stream', servers, '--data', dataDir, '--max-file-age', '300ms', '--min-free', '1MB'],
    /spoor sink consuming/,
  )

/** `spoor stream init` with `extra` settings; throws with its output unless it succeeds. */
export async function initStream(servers: string, extra: string[] = []): Promise<string> {
  const run = await runSpoor(['stream', 'init', '--stream', servers, ...extra])
  if (run.code !== 0) throw new Error(`spoor stream init failed: ${run.stdout}${run.stderr}`)
  return run.stdout
}

/** Every published NDJSON file under `dirs` (their `events/` folders), with its text. */
export async function publishedFiles(dirs: string[]): Promise<{ path: string; text: string }[]> {
  const files: { path: string; text: string }[] = []
  for (const dir of dirs) {
    const root = join(dir, 'events')
    const entries = await readdir(root, { recursive: true }).catch(() => [] as string[])
    for (const entry of entries) {
      if (!entry.endsWith('.ndjson')) continue
      files.push({ path: join(root, entry), text: await readFile(join(root, entry), 'utf8') })
    }
  }
  return files
}

/** Posts one server-side batch of `events` to a collector; its status, `Retry-After` and body. */
export async function postServerBatch(url: string, writeKey: string, events: object[]) {
  const response = await fetch(url + '/v1/batch', {
    method: 'POST',
    headers: { authorization: basic(writeKey) },
    body: JSON.stringify({ batch: events }),
  })
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.text() }
}
