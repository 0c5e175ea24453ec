// The servers the collector benchmark loads, each a process of its own on CPU 1 (when pinning is on), writing to
// a fresh folder: the in-process compositions of collector-servers.ts, or `spoor serve` itself.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serveOnFreePort } from '../test/support/run-cli.js'

const serverScript = fileURLToPath(new URL('./collector-servers.ts', import.meta.url))
// The `spoor` command as npm links it, over the built `dist/` (see buildCollector): what a user runs.
export const spoorBin = fileURLToPath(new URL('../packages/cli/bin/spoor.js', import.meta.url))
const buildScript = fileURLToPath(new URL('../scripts/build.mjs', import.meta.url))

/** Builds the packages (nothing when they are up to date), so that `spoor serve` runs from `dist/` as a user's does. */
export function buildCollector(): void {
  const built = spawnSync(process.execPath, [buildScript], { stdio: 'inherit' })
  if (built.status !== 0) throw new Error('npm run build failed: the benchmark measures the built collector')
}

/** A server to start: `servers` runs collector-servers.ts with these arguments, `serve` runs the built `spoor serve` with these options. */
export type ServerSpec = { name: string; servers: string[] } | { name: string; serve: string[] }

/** A running server process. */
export interface ServerProcess {
  name: string
  port: number
  /** Its process id, for what /proc tells of it (its resident memory, say). */
  pid: number
  /** The folder it writes to, read back once it has stopped. */
  dir: string
  /**
   * CPU seconds the process has used so far, user and system, every thread (from /proc; NaN where there is none):
   * whether a server was busy all the time or waited (for its disk, say) with CPU to spare.
   */
  cpuSeconds(): number
  /** SIGTERM, then waits for it to exit (it publishes its files on the way). */
  stop(): Promise<void>
  remove(): Promise<void>
}

// With two or more CPUs (and `taskset`), every server runs on CPU 1 and the load generator on CPU 0: unpinned,
// where the scheduler happens to put a server's threads beside the generator's moved a server's figure by up to
// 40% from one process to the next, more than any change to the server did. BENCH_PIN=0 turns it off.
/** Pins this process (the load generator) to CPU 0; true when the servers are to be pinned to CPU 1. */
export function pinLoadGenerator(): boolean {
  return (
    process.env.BENCH_PIN !== '0' &&
    cpus().length >= 2 &&
    spawnSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' }).status === 0
  )
}

/** Starts `spec` in a fresh folder and resolves once it listens on 127.0.0.1. */
export async function startServerProcess(spec: ServerSpec, pinned: boolean): Promise<ServerProcess> {
  const dir = await mkdtemp(join(tmpdir(), `spoor-bench-${spec.name.replace(/\W+/g, '-')}-`))
  const node = [process.execPath]
  if ('servers' in spec)
    node.push('--conditions=source', '--import', 'tsx', serverScript, spec.servers[0]!, dir, ...spec.servers.slice(1))
  else {
    await writeFile(
      join(dir, 'spoor.config.json'),
      JSON.stringify({ sites: [{ writeKey: 'bench-key', origins: ['*'] }] }),
    )
    node.push(
      spoorBin,
      ...serveOnFreePort,
      '--data',
      join(dir, 'data'),
      '--config',
      join(dir, 'spoor.config.json'),
      ...spec.serve,
    )
  }
  const [command, ...args] = pinned ? ['taskset', '-c', '1', ...node] : node
  const child: ChildProcess = spawn(command!, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk) => {
      if (out.length > 10_000) return
      out += chunk
      // collector-servers.ts prints {"port": N}; spoor serve logs {"url": "http://127.0.0.1:N", …}.
      const match = /"port":(\d+)/.exec(out) ?? /"url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(out)
      if (match) resolve(Number(match[1]))
    })
    void exited.then((code) => reject(new Error(`${spec.name} exited with ${code} before listening: ${out}`)))
  })
  return {
    name: spec.name,
    port,
    pid: child.pid!,
    dir,
    cpuSeconds: () => processCpuSeconds(child.pid),
    async stop() {
      child.kill('SIGTERM')
      const code = await exited
      if (code !== 0) throw new Error(`${spec.name} exited with ${code} on SIGTERM`)
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  }
}

// The clock ticks /proc counts in: 100 a second on every Linux this runs on (USER_HZ).
const ticksPerSecond = 100

/** utime + stime of a process, in seconds: fields 14 and 15 of /proc/PID/stat, after its `(name)`. */
function processCpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
  } catch {
    return Number.NaN
  }
}
