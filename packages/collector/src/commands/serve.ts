import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createApp } from '../app.js'
import { loadConfig } from '../config.js'
import { parseDuration, parseSize } from '../duration.js'
import { startServer } from '../server.js'
import { createNdjsonSink } from '../sink/ndjson-sink.js'
import { withCartDetector } from '../carts/with-cart-detector.js'
import { dashboard } from '../report/dashboard.js'
import { UsageError, type Command } from './command.js'

const usage = `spoor serve — run the collector

Usage: spoor serve --config spoor.config.json [options]

  --config FILE         sites and their write keys (env SPOOR_CONFIG)
  --port N              port to listen on (env PORT; default 8787)
  --host ADDRESS        address to bind (default 0.0.0.0)
  --data DIR            where NDJSON files go (env SPOOR_DATA_DIR; default ./data)
  --static DIR          also serve the static files of DIR at / (demos, local testing)
  --durability MODE     fsync (default): answer 2xx once events are on disk;
                        write: once handed to the OS (a power cut can lose the last seconds)
  --max-file-age TIME   publish an NDJSON file this long after it was opened (default 60s)
  --max-file-bytes SIZE publish an NDJSON file once it is this big (default 64MB)
  --cart-window TIME    write "Cart Abandoned" for a cart with items left this long without an order
                        (default 60m; off to leave detection to "spoor carts" downstream)

A config names each site and the page origins allowed to send with its key:
  {"sites": [{"writeKey": "my-site-key", "origins": ["https://shop.example"]}]}`

const noConfig = `spoor serve needs a config file naming your sites. Create spoor.config.json:

  {"sites": [{"writeKey": "my-site-key", "origins": ["https://shop.example"]}]}

then run:  spoor serve --config spoor.config.json   (or set SPOOR_CONFIG)`

function readOption<T>(name: string, read: () => T): T {
  try {
    return read()
  } catch (error) {
    throw new UsageError(`${name}: ${(error as Error).message}`)
  }
}

const log = (fields: Record<string, unknown>) => console.log(JSON.stringify({ time: new Date().toISOString(), ...fields }))

export const serve: Command = {
  summary: 'run the collector (Segment HTTP API, pixel, snippet) writing NDJSON',
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        static: { type: 'string' },
        durability: { type: 'string' },
        'max-file-age': { type: 'string' },
        'max-file-bytes': { type: 'string' },
        'cart-window': { type: 'string' },
      },
    })
    const configPath = values.config ?? process.env.SPOOR_CONFIG
    if (!configPath) {
      console.error(noConfig)
      return 2
    }
    const durability = values.durability ?? 'fsync'
    if (durability !== 'fsync' && durability !== 'write') throw new UsageError('--durability is fsync or write')
    const port = Number(values.port ?? process.env.PORT ?? 8787)
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${values.port} is not a port`)
    const dataDir = resolve(values.data ?? process.env.SPOOR_DATA_DIR ?? './data')

    const maxFileAgeMs = readOption('--max-file-age', () => parseDuration(values['max-file-age'] ?? '60s'))
    const maxFileBytes = readOption('--max-file-bytes', () => parseSize(values['max-file-bytes'] ?? '64MB'))

    const config = await loadConfig(configPath)
    const cartWindow = values['cart-window'] ?? '60m'
    const cartWindowMs = cartWindow === 'off' ? undefined : readOption('--cart-window', () => parseDuration(cartWindow))
    if (cartWindowMs === 0) throw new UsageError('--cart-window must be longer than 0 (or off)')
    const files = createNdjsonSink({ dataDir, durability, maxFileAgeMs, maxFileBytes })
    const sink = cartWindowMs ? withCartDetector(files, { dataDir, windowMs: cartWindowMs, log }) : files
    const app = createApp({ config, sink, ...(values.static ? { staticDir: values.static } : {}) })
    app.route('/', dashboard({ config, dataDir, ...(cartWindowMs ? { cartWindowMs } : {}) }))
    const server = await startServer({ app, sink, port, hostname: values.host ?? '0.0.0.0' })
    log({ level: 'info', msg: `spoor collector listening on ${server.url}`, url: server.url, dataDir, sites: config.sites.length })

    await new Promise<void>((done) => {
      const stop = (signal: string) => {
        log({ level: 'info', msg: `${signal}: finishing requests and publishing open files` })
        void server.close().then(done)
      }
      process.once('SIGTERM', () => stop('SIGTERM'))
      process.once('SIGINT', () => stop('SIGINT'))
    })
    log({ level: 'info', msg: 'stopped' })
    return 0
  },
}
