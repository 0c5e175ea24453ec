import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createLogger, createNdjsonSink } from '@spoor/log'
import { closeConnection, jetstream, parseServers, runSinkConsumer, sinkConsumer, streamName } from '@spoor/stream'
import { parseDuration, parseSize } from '../duration.js'
import { type Command, readOption, UsageError } from './command.js'
import { connectTelling, streamWaiter } from './connect-telling.js'
import { dataDirError } from './start-up-error.js'
import { untilStopped } from './until-stopped.js'

const usage = `spoor sink — write the stream's events to NDJSON files

Usage: spoor sink --stream SERVERS --data DIR [options]

  --stream SERVERS      the stream's servers, e.g. nats://a:4222,nats://b:4222 (env SPOOR_STREAM)
  --data DIR            where NDJSON files go, as spoor serve writes them (one folder per sink process)
  --max-file-age TIME   publish an NDJSON file this long after it was opened (default 60s)
  --max-file-bytes SIZE publish an NDJSON file once it is this big (default 64MB)
  --min-free SIZE       stop taking messages while the disk has less free (default 100MB)
  --wait TIME           how long to wait at start for the stream and its consumer (default 60s)

Several sinks share the stream's durable consumer: each message goes to one of them, which acknowledges it
once its line is synced to disk. A sink killed before acknowledging has its messages delivered again, so a
line can appear twice across the files; readers drop repeats by messageId. Restart a killed sink on the same
folder: it publishes what it left open.`

/** `spoor sink`: a durable consumer of the stream writing NDJSON. */
export const sink: Command = {
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        stream: { type: 'string' },
        data: { type: 'string' },
        'max-file-age': { type: 'string' },
        'max-file-bytes': { type: 'string' },
        'min-free': { type: 'string' },
        wait: { type: 'string' },
      },
    })
    const servers = values.stream ?? process.env.SPOOR_STREAM
    if (!servers) throw new UsageError('give --stream SERVERS, e.g. nats://127.0.0.1:4222')
    if (!values.data) throw new UsageError('give --data DIR, the folder this sink writes to')
    const list = readOption('--stream', () => parseServers(servers))
    const dataDir = resolve(values.data)
    const maxFileAgeMs = readOption('--max-file-age', () => parseDuration(values['max-file-age'] ?? '60s'))
    const maxFileBytes = readOption('--max-file-bytes', () => parseSize(values['max-file-bytes'] ?? '64MB'))
    const minFreeBytes = readOption('--min-free', () => parseSize(values['min-free'] ?? '100MB'))
    const waitMs = readOption('--wait', () => parseDuration(values.wait ?? '60s'))
    const log = createLogger()

    const files = createNdjsonSink({ dataDir, durability: 'fsync', maxFileAgeMs, maxFileBytes, minFreeBytes, log })
    const recovered = await files.ready.catch(async (error: unknown) => {
      await files.close()
      throw dataDirError(error, dataDir)
    })
    log.info('connecting to the stream', { servers: list.join(',') })
    const nc = await connectTelling(list, 'spoor sink', log)
    let failures = 0
    const waitFor = streamWaiter({
      nc,
      log,
      servers: list,
      waitMs,
      what: `the stream ${streamName} or its consumer ${sinkConsumer}`,
      // Gives the data folder back.
      release: () => files.close(),
    })
    const consumer = await waitFor(() =>
      runSinkConsumer({
        js: jetstream(nc),
        writer: files,
        onFailed: (error) => {
          // One line per hundred failures: a full disk fails every batch until it has room again.
          if (failures++ % 100 === 0)
            log.error('could not write; the messages are delivered again', { error: String(error) })
        },
        onDropped: (reason, subject) => log.warn('dropped a message that is not an event line', { reason, subject }),
      }),
    )
    log.info('spoor sink consuming', { dataDir, stream: list.join(','), ...recovered })

    const signal = await untilStopped()
    log.info(`${signal}: finishing writes and publishing open files`)
    await consumer.stop()
    await files.close()
    await closeConnection(nc)
    log.info('stopped')
    return 0
  },
}
