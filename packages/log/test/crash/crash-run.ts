import { type ChildProcess, spawn } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { serveOnFreePort } from '../../../../test/support/run-cli.js'

/** How hard to try. */
export interface CrashRunOptions {
  /** Times the collector is killed with SIGKILL and started again. */
  rounds: number
  /** Concurrent senders. */
  clients: number
  /** Events per batch. */
  batchSize: number
  /** A kill lands this many ms after the collector is up, at random between the two. */
  killAfterMs: [number, number]
  /** Progress lines (default: none). */
  log?: (line: string) => void
}

/** What the run saw; a good run has empty `missing`, `partialLines`, `openFilesLeft` and `unknown`. */
export interface CrashRunReport {
  rounds: number
  /** Requests answered 2xx, and the distinct event ids in them. */
  ackedRequests: number
  ackedIds: number
  /** Requests that failed (connection refused or cut by a kill) and were retried with the same ids. */
  failedRequests: number
  /** Lines in published files, and how many of them repeat an id (retries of unanswered requests). */
  lines: number
  repeatedLines: number
  /** `*.ndjson.open` files a kill left, found at the next start, and what recovery did with them. */
  leftOpen: number
  recovered: { published: number; removed: number; cutBytes: number }
  /** Acknowledged ids found in no published file: must be empty. */
  missing: string[]
  /** Published lines that are cut or not JSON ("file:line"): must be empty. */
  partialLines: string[]
  /** `*.ndjson.open` files left after the final, graceful stop: must be empty. */
  openFilesLeft: string[]
  /** Ids in the files that no client sent: must be empty. */
  unknown: string[]
}

const cliSource = fileURLToPath(new URL('../../../cli/src/cli.ts', import.meta.url))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Bundles the `spoor` command into one file so that each restart costs a Node start, not a TypeScript compile. */
async function bundleCli(dir: string): Promise<string> {
  const outfile = join(dir, 'spoor-cli.mjs')
  await build({
    entryPoints: [cliSource],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    outfile,
    logLevel: 'error',
    // Loaded only when a report is built, never by `serve`; its native bindings cannot be bundled.
    external: ['@duckdb/node-api'],
    // Bundled CommonJS dependencies still call require().
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  })
  return outfile
}

async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

/**
 * The crash test: senders post batches of unique ids to a real `spoor serve` process while it is killed with
 * SIGKILL at random moments and started again on the same data folder, `rounds` times; a sender whose request
 * failed sends the same ids again, as the SDK does. Then the collector is stopped gracefully and the published
 * files are read back: every id that got a 2xx must be there (exactly once after dedupe by id), no line may be
 * cut, and no file may be left open.
 *
 * SIGKILL loses what the process held, not what the kernel was given: this tests recovery and the
 * acknowledge-after-write order, not fsync against a power cut (which needs a machine to switch off).
 */
export async function crashRun(options: CrashRunOptions): Promise<CrashRunReport> {
  const log = options.log ?? (() => {})
  const work = await mkdtemp(join(tmpdir(), 'spoor-crash-'))
  const dataDir = join(work, 'data')
  await mkdir(dataDir)
  const config = join(work, 'spoor.config.json')
  await writeFile(config, JSON.stringify({ sites: [{ writeKey: 'crash-key', origins: ['*'] }] }))
  const cli = await bundleCli(work)

  const report: CrashRunReport = {
    rounds: options.rounds,
    ackedRequests: 0,
    ackedIds: 0,
    failedRequests: 0,
    lines: 0,
    repeatedLines: 0,
    leftOpen: 0,
    recovered: { published: 0, removed: 0, cutBytes: 0 },
    missing: [],
    partialLines: [],
    openFilesLeft: [],
    unknown: [],
  }
  let url: string | undefined
  let child: ChildProcess | undefined

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const args = [
        ...serveOnFreePort,
        '--data',
        dataDir,
        '--config',
        config,
        '--max-file-age',
        '300ms',
        '--rate-limit-ip',
        '0',
        '--min-free',
        '0',
      ]
      const proc = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      child = proc
      let out = ''
      proc.stdout!.on('data', (chunk: Buffer) => {
        out += chunk
        let newline: number
        while ((newline = out.indexOf('\n')) !== -1) {
          const line = out.slice(0, newline)
          out = out.slice(newline + 1)
          const entry = JSON.parse(line) as {
            msg: string
            url?: string
            published?: number
            removed?: number
            cutBytes?: number
          }
          if (entry.msg === 'recovered files left open by a crash') {
            report.recovered.published += entry.published ?? 0
            report.recovered.removed += entry.removed ?? 0
            report.recovered.cutBytes += entry.cutBytes ?? 0
          }
          if (entry.url) {
            url = entry.url
            resolve()
          }
        }
      })
      let err = ''
      proc.stderr!.on('data', (chunk: Buffer) => (err += chunk))
      proc.once('exit', (code, signal) => {
        if (url === undefined || proc !== child)
          reject(new Error(`spoor serve exited (${code ?? signal}) before listening: ${err}`))
      })
    })

  const sent = new Set<string>()
  const acked = new Set<string>()
  let running = true

  const sender = async (client: number) => {
    let sequence = 0
    let batch: string[] | undefined
    while (running || batch) {
      batch ??= Array.from({ length: options.batchSize }, (_, i) => `c${client}-${sequence}-${i}`)
      sequence++
      for (const id of batch) sent.add(id)
      const target = url
      if (!target) {
        await sleep(10)
        continue
      }
      try {
        const response = await fetch(target + '/v1/batch', {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({
            writeKey: 'crash-key',
            batch: batch.map((messageId) => ({
              type: 'track',
              event: 'Crash Test',
              anonymousId: `c${client}`,
              messageId,
            })),
          }),
          signal: AbortSignal.timeout(5000),
        })
        const answer = (await response.json()) as { accepted?: number; duplicates?: number }
        if (response.status === 200 && (answer.accepted ?? 0) + (answer.duplicates ?? 0) === batch.length) {
          report.ackedRequests++
          for (const id of batch) acked.add(id)
          batch = undefined
          continue
        }
        report.failedRequests++
      } catch {
        report.failedRequests++
      }
      await sleep(5 + Math.random() * 20)
      if (!running && !url) return
    }
  }

  await start()
  const senders = Array.from({ length: options.clients }, (_, i) => sender(i))
  for (let round = 1; round <= options.rounds; round++) {
    const [low, high] = options.killAfterMs
    await sleep(low + Math.random() * (high - low))
    const victim = child!
    const exited = new Promise((resolve) => victim.once('exit', resolve))
    url = undefined
    victim.kill('SIGKILL')
    await exited
    report.leftOpen += (await allFiles(dataDir)).filter((file) => file.endsWith('.ndjson.open')).length
    await start()
    log(`round ${round}/${options.rounds}: ${acked.size} ids acknowledged, ${report.failedRequests} requests retried`)
  }
  running = false
  await Promise.all(senders)
  const last = child!
  const stopped = new Promise<number | null>((resolve) => last.once('exit', resolve))
  last.kill('SIGTERM')
  const code = await stopped
  if (code !== 0) throw new Error(`spoor serve exited with ${code} on SIGTERM`)

  const counts = new Map<string, number>()
  for (const file of await allFiles(join(dataDir, 'events'))) {
    if (file.endsWith('.open')) {
      report.openFilesLeft.push(file)
      continue
    }
    if (!file.endsWith('.ndjson')) continue
    const text = await readFile(file, 'utf8')
    if (text.length && !text.endsWith('\n')) report.partialLines.push(`${file}: no final newline`)
    text.split('\n').forEach((line, i) => {
      if (!line) return
      try {
        const id = (JSON.parse(line) as { messageId: string }).messageId
        counts.set(id, (counts.get(id) ?? 0) + 1)
        report.lines++
      } catch {
        report.partialLines.push(`${file}:${i + 1}`)
      }
    })
  }
  report.repeatedLines = report.lines - counts.size
  report.ackedIds = acked.size
  report.missing = [...acked].filter((id) => !counts.has(id))
  report.unknown = [...counts.keys()].filter((id) => !sent.has(id))
  return report
}
