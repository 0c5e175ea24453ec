import type { ChildProcess } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { listeningUrl, serveOnFreePort, spawnSpoor } from './run-cli.js'

const examples = fileURLToPath(new URL('../../examples/', import.meta.url))

/** The example shop's folder of pages, which `npm start` serves. */
export const shopPages = join(examples, 'shop/public')

/**
 * The config of the demo: the example shop's site (`examples/shop/spoor.config.json`, what `npm start` uses), the
 * email section of the example email (`examples/email/spoor.config.json`: the demo signing key), and a dashboard
 * token. Written to `path`.
 */
export async function writeDemoConfig(path: string, dashboardToken: string): Promise<void> {
  const shop = JSON.parse(await readFile(join(examples, 'shop/spoor.config.json'), 'utf8'))
  const email = JSON.parse(await readFile(join(examples, 'email/spoor.config.json'), 'utf8'))
  await writeFile(path, JSON.stringify({ ...shop, email: email.email, dashboard: { token: dashboardToken } }, null, 2))
}

/** A running `spoor serve`. */
export interface SpoorServe {
  url: string
  /** Stops it as SIGTERM does: requests finish, open files are published, the process exits. */
  stop(): Promise<void>
}

/**
 * Starts `spoor serve` as a real process the way `npm start` runs it (the example shop's pages served by the
 * collector itself, at `/`), on a free port of 127.0.0.1, publishing files within `maxFileAge` so tests read them
 * soon. Resolves once it listens.
 */
export async function serveShop(options: {
  dataDir: string
  config: string
  cartWindow: string
  maxFileAge?: string
  /** Proxies of the shop's in front (`--trust-proxy`): the visitors' addresses are then theirs (default 0). */
  trustProxy?: number
}): Promise<SpoorServe> {
  const child: ChildProcess = spawnSpoor([
    ...serveOnFreePort,
    '--data',
    options.dataDir,
    '--config',
    options.config,
    '--static',
    shopPages,
    '--max-file-age',
    options.maxFileAge ?? '300ms',
    '--cart-window',
    options.cartWindow,
    ...(options.trustProxy ? ['--trust-proxy', String(options.trustProxy)] : []),
  ])
  let exited = false
  const exit = new Promise<void>((resolve) => child.on('exit', () => resolve(void (exited = true))))
  const url = await listeningUrl(child)
  return {
    url,
    async stop() {
      if (!exited) child.kill('SIGTERM')
      await exit
    },
  }
}

/**
 * Starts a plain `spoor serve` as a real process on a free port of 127.0.0.1: one site (`e2e-key`, any origin),
 * its config in `dir` and its files in `dir/data`, published within 200 ms so tests read them soon, with no
 * per-address rate limit (a test's browsers all come from one address). Resolves once it listens.
 */
export async function startSpoorServe(dir: string): Promise<SpoorServe & { dataDir: string }> {
  const config = join(dir, 'spoor.config.json')
  const dataDir = join(dir, 'data')
  await writeFile(config, JSON.stringify({ sites: [{ writeKey: 'e2e-key', origins: ['*'] }] }))
  const child: ChildProcess = spawnSpoor([
    ...serveOnFreePort,
    '--data',
    dataDir,
    '--config',
    config,
    '--max-file-age',
    '200ms',
    '--rate-limit-ip',
    '0',
  ])
  let exited = false
  const exit = new Promise<void>((resolve) => child.on('exit', () => resolve(void (exited = true))))
  const url = await listeningUrl(child)
  return {
    url,
    dataDir,
    async stop() {
      if (!exited) child.kill('SIGTERM')
      await exit
    },
  }
}
