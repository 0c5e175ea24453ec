import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { listeningUrl, serveOnFreePort, spawnSpoor } from '../../../../test/support/run-cli.js'

/** The write key of the one site the flooded collectors serve. */
export const floodKey = 'flood-key'

/** The heap the flooded collectors get, as an operator would cap a small container. */
export const heapMb = 256

/** Writes a config of one server-only site into `dir`; resolves to its path. */
export async function floodConfig(dir: string): Promise<string> {
  const config = join(dir, 'spoor.config.json')
  // The flood's campaign is one sent before pixels were signed: its unsigned pixels are counted, as anyone can
  // send them.
  const email = { unsignedOpenCampaigns: ['spring'] }
  await writeFile(config, JSON.stringify({ sites: [{ writeKey: floodKey, origins: [] }], email }))
  return config
}

/**
 * Starts the real `spoor serve` on a free loopback port with a {@link heapMb} MB heap. No rate limit by address:
 * the whole flood comes from 127.0.0.1, and what is measured is what the collector keeps, not how fast it refuses.
 */
export async function serveSmallHeap(dataDir: string, config: string, args: string[] = []) {
  const child = spawnSpoor(
    [...serveOnFreePort, '--data', dataDir, '--config', config, '--min-free', '0', '--rate-limit-ip', '0', ...args],
    { NODE_OPTIONS: `--max-old-space-size=${heapMb}` },
  )
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk) => (stdout += chunk))
  // The head of it: an out-of-memory abort says so first, then prints a long native stack.
  child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk).slice(0, 3000)))
  // The exit code, or the signal that ended it (an out-of-memory abort is SIGABRT).
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  )
  const url = await listeningUrl(child)
  /** The fields of the first log line whose message is `msg`, once printed; rejects if the process exits first. */
  const logged = (msg: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const tag = `"msg":${JSON.stringify(msg)}`
      const look = () => {
        const line = stdout
          .split('\n')
          .slice(0, -1)
          .find((l) => l.includes(tag))
        if (line) resolve(JSON.parse(line) as Record<string, unknown>)
      }
      child.stdout!.on('data', look)
      look()
      void exited.then((code) => reject(new Error(`spoor serve exited (${code}) before "${msg}": ${stderr}`)))
    })
  return { child, url, exited, logged, stderr: () => stderr }
}

/** The resident memory of a process now and at its peak, in bytes, from `/proc/<pid>/status`. */
export async function residentMemory(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) * 1024
  return { rss: kb('VmRSS'), peak: kb('VmHWM') }
}

/**
 * Sends `count` requests, `connections` at a time; each must answer 200. A failure says what the collector printed
 * on stderr (`output`): a process that ran out of heap closes every connection at once.
 */
export async function flood(
  count: number,
  connections: number,
  output: () => string,
  request: (i: number) => Promise<Response>,
) {
  let next = 0
  const worker = async () => {
    while (next < count) {
      const i = next++
      const response = await request(i).catch((error: Error) => {
        throw new Error(`request ${i} of ${count} failed (${error.message}); spoor serve printed: ${output()}`)
      })
      await response.arrayBuffer()
      if (response.status !== 200) throw new Error(`request ${i} answered ${response.status}`)
    }
  }
  await Promise.all(Array.from({ length: connections }, worker))
}

/** One value of the collector's `/metrics` (0 when the series has not been counted yet). */
export async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(url + '/metrics')).text()
  const line = text.split('\n').find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'))
  return line ? Number(line.split(' ').at(-1)) : 0
}
