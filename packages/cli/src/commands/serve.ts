import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { defaultCollectorCarts, sharedCartRoom, withCartDetector } from '@spoor/carts'
import { clientIpResolver, createApp, parseRate, presentsToken, startServer } from '@spoor/collector'
import { emailRoutes } from '@spoor/email'
import { createLogger, createMetrics, createNdjsonSink, type NdjsonSink } from '@spoor/log'
import { dashboard } from '@spoor/report'
import type { StreamSink } from '@spoor/stream'
import { parseDuration, parseSize } from '../duration.js'
import { onLauncherExit } from '../on-launcher-exit.js'
import { type Command, readOption, UsageError } from './command.js'
import { compactInBackground } from './compact-in-background.js'
import { loadCheckedConfig } from './load-checked-config.js'
import { dataDirError, listenError } from './start-up-error.js'
import { streamIntake } from './stream-intake.js'

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
  --min-free SIZE       refuse events (503, /readyz not ready) while the disk has less free (default 100MB)
  --max-in-flight SIZE  request bytes held at once; past it 503 + Retry-After (default 6MB)
  --body-timeout TIME   time a client has to send a request body; past it 408 (default 10s)
  --trust-proxy N       proxies of yours in front (load balancer, CDN): the client address is taken
                        N entries from the right of X-Forwarded-For (default 0: the socket's address)
  --rate-limit-ip RATE  requests per client address, e.g. 100/s or 100/s:500 with a burst; 0 for none
                        (default 100/s:500); over it 429 + Retry-After
  --rate-limit-key RATE requests per write key, same form (default 0: none)
  --cart-window TIME    write "Cart Abandoned" for a cart with items left this long without an order
                        (default 60m; off to leave detection to "spoor carts" downstream)
  --max-carts N         carts the detector holds at once (those active in the last day), shared equally
                        by the sites (default 5000; each 1000 more take about 2.5 MB); past it a site's
                        new carts are not watched live (logged; "spoor carts" and the report still
                        decide them)
  --stream SERVERS      publish events to the NATS JetStream stream on these servers instead of writing
                        files (nats://a:4222,nats://b:4222; see README, "Scale out"): 2xx once the stream
                        acknowledged them; --data, the cart detector and the dashboard are then left to
                        "spoor sink" and "spoor carts --follow"
  --compact-every TIME  compact the published files into daily Parquet files this often, for fast reports
                        and dashboards (default 1h; off for never; see spoor compact)
  --keep AGE            erase what arrived longer ago than AGE (400d) with each compaction: its files, refused
                        events and compacted days, by whole UTC days (default: keep everything; see spoor erase)
  --publish-timeout TIME with --stream: how long to wait for the stream's acknowledgement; past it 503
                        + Retry-After (default 5s)

A config names each site and the page origins allowed to send with its key (none for a server-only site):
  {"sites": [{"writeKey": "my-site-key", "origins": ["https://shop.example"]}]}
Privacy settings (README, "Privacy and abuse"): "privacy": {"ipv4MaskBytes": 2, "ipv6PrefixBits": 48} and per
site "gpc": "mark" | "minimize" (default) | "drop", "visitorHash": true.`

const noConfig = `spoor serve: no config: give --config FILE (or set SPOOR_CONFIG). A minimal spoor.config.json:
  {"sites": [{"writeKey": "my-site-key", "origins": ["https://shop.example"]}]}`

export const serve: Command = {
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
        'min-free': { type: 'string' },
        'max-in-flight': { type: 'string' },
        'body-timeout': { type: 'string' },
        'trust-proxy': { type: 'string' },
        'rate-limit-ip': { type: 'string' },
        'rate-limit-key': { type: 'string' },
        'cart-window': { type: 'string' },
        'max-carts': { type: 'string' },
        'compact-every': { type: 'string' },
        keep: { type: 'string' },
        stream: { type: 'string' },
        'publish-timeout': { type: 'string' },
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
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new UsageError(
        `${values.port !== undefined ? `--port ${values.port}` : `PORT=${process.env.PORT}`} is not a port (0 to 65535)`,
      )
    }
    const dataDir = resolve(values.data ?? process.env.SPOOR_DATA_DIR ?? './data')
    // A missing folder would serve nothing but 404s, without a word.
    if (values.static && !(await stat(values.static).catch(() => undefined))?.isDirectory())
      throw new UsageError(`--static ${values.static} is not a folder`)

    const maxFileAgeMs = readOption('--max-file-age', () => parseDuration(values['max-file-age'] ?? '60s'))
    const maxFileBytes = readOption('--max-file-bytes', () => parseSize(values['max-file-bytes'] ?? '64MB'))

    const minFreeBytes = readOption('--min-free', () => parseSize(values['min-free'] ?? '100MB'))
    const maxInFlightBytes = readOption('--max-in-flight', () => parseSize(values['max-in-flight'] ?? '6MB'))
    const bodyTimeoutMs = readOption('--body-timeout', () => parseDuration(values['body-timeout'] ?? '10s'))
    const trustProxy = Number(values['trust-proxy'] ?? 0)
    if (!Number.isInteger(trustProxy) || trustProxy < 0)
      throw new UsageError('--trust-proxy is a number of proxies: 0, 1, 2…')
    const ratePerIp = readOption('--rate-limit-ip', () => parseRate(values['rate-limit-ip'] ?? '100/s:500'))
    const ratePerKey = readOption('--rate-limit-key', () => parseRate(values['rate-limit-key'] ?? '0'))

    const config = await loadCheckedConfig(configPath)
    const cartWindow = values['cart-window'] ?? '60m'
    const cartWindowMs = cartWindow === 'off' ? undefined : readOption('--cart-window', () => parseDuration(cartWindow))
    if (cartWindowMs === 0) throw new UsageError('--cart-window must be longer than 0 (or off)')
    const maxCarts = Number(values['max-carts'] ?? defaultCollectorCarts)
    if (!Number.isInteger(maxCarts) || maxCarts < 1) throw new UsageError('--max-carts is a number of carts: 1 or more')
    const cartRoom = sharedCartRoom(maxCarts, config.sites.length)
    const compactEvery = values['compact-every'] ?? '1h'
    const compactEveryMs =
      compactEvery === 'off' ? undefined : readOption('--compact-every', () => parseDuration(compactEvery))
    if (compactEveryMs !== undefined && compactEveryMs < 60_000)
      throw new UsageError('--compact-every must be at least 1m (or off)')
    const keepMs = values.keep === undefined ? undefined : readOption('--keep', () => parseDuration(values.keep!))
    if (keepMs !== undefined) {
      if (keepMs < 86_400_000) throw new UsageError('--keep must be at least 1d: days go whole')
      // Retention runs with the compaction, which sees the whole data folder; a fleet's sinks hold the files.
      if (!compactEveryMs || values.stream)
        throw new UsageError('--keep runs with the compaction: not with --compact-every off or --stream')
    }
    const log = createLogger()
    const metrics = createMetrics()
    const publishTimeoutMs = readOption('--publish-timeout', () => parseDuration(values['publish-timeout'] ?? '5s'))
    let files: NdjsonSink | StreamSink
    if (values.stream) files = await streamIntake(values.stream, publishTimeoutMs, log)
    else {
      const local = createNdjsonSink({ dataDir, durability, maxFileAgeMs, maxFileBytes, minFreeBytes, metrics, log })
      // Crash recovery publishes what a killed process left before the detector replays the published files. On a
      // disk with no room to start, the collector starts all the same, refusing events (503) until there is room;
      // the files a crash left are then published once there is, after the detector's replay.
      await local.started.catch(async (error: unknown) => {
        await local.close()
        throw dataDirError(error, dataDir)
      })
      local.ready.catch((error: unknown) =>
        log.error('the data folder could not be started', { error: (error as Error).message }),
      )
      files = local
    }
    const watching =
      cartWindowMs && !values.stream
        ? withCartDetector(files, { dataDir, windowMs: cartWindowMs, log, limits: cartRoom })
        : undefined
    const sink = watching ?? files
    if (watching) {
      const { detector } = watching
      metrics.gauge(
        'carts_held',
        `Carts the abandoned-cart detector holds (at most ${cartRoom.carts} per site; --max-carts).`,
        () => detector.size().held,
      )
      metrics.gauge(
        'cart_bytes_held',
        `Bytes of cart contents the detector holds (at most ${cartRoom.bytes} per site).`,
        () => detector.size().bytes,
      )
      metrics.gauge(
        'carts_refused',
        'Carts, or larger cart contents, not taken because their site was at its limit.',
        () => detector.size().refused,
      )
    }
    let draining = false
    const app = createApp({
      config,
      sink,
      metrics,
      log,
      draining: () => draining,
      clientIp: clientIpResolver(trustProxy),
      maxInFlightBytes,
      bodyTimeoutMs,
      ...(ratePerIp ? { ratePerIp } : {}),
      ...(ratePerKey ? { ratePerKey } : {}),
      ...(values.static ? { staticDir: values.static } : {}),
      routes: [
        (services) => emailRoutes({ config, ...services }),
        ...(values.stream
          ? []
          : [dashboard({ config, dataDir, presentsToken, ...(cartWindowMs ? { cartWindowMs } : {}) })]),
      ],
    })
    const hostname = values.host ?? '0.0.0.0'
    const server = await startServer({ app, sink, port, hostname, requestTimeoutMs: bodyTimeoutMs + 5000 }).catch(
      async (error: unknown) => {
        await sink.close()
        throw listenError(error, hostname, port)
      },
    )
    const compaction =
      compactEveryMs && !values.stream
        ? compactInBackground(dataDir, compactEveryMs, log, cartWindowMs, keepMs, minFreeBytes)
        : undefined
    log.info(`spoor collector listening on ${server.url}`, {
      url: server.url,
      ...(values.stream ? { stream: values.stream } : { dataDir, durability }),
      sites: config.sites.length,
    })

    await new Promise<void>((done) => {
      const stop = (signal: string) => {
        if (draining) return
        draining = true
        log.info(`${signal}: finishing requests and publishing open files`)
        void server.close().then(done)
      }
      process.once('SIGTERM', () => stop('SIGTERM'))
      process.once('SIGINT', () => stop('SIGINT'))
      // The terminal it was started from closed: Node's default for SIGHUP ends the process at once, leaving its
      // files open and cutting the requests under way.
      process.once('SIGHUP', () => stop('SIGHUP'))
      onLauncherExit(() => stop('launcher exited'))
    })
    await compaction?.stop()
    log.info('stopped')
    return 0
  },
}
