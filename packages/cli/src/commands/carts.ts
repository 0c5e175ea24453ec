import { parseArgs } from 'node:util'
import { createCartDetector, detectInFiles } from '@spoor/carts'
import { parseTime } from '@spoor/report'
import { parseDuration } from '../duration.js'
import { cartsFollow, followUsage } from './carts-follow.js'
import { type Command, dataFolderArgument, readOption } from './command.js'

const usage = `spoor carts — find abandoned carts in published NDJSON files

Usage: spoor carts DATA_DIR [options]

  --window TIME          inactivity after which a cart with items and no order is abandoned (default 60m)
  --recover-within TIME  how long after that an order still recovers it (default 24h)
  --now TIME             decide as of this time (ISO-8601; default now)
  --site KEY             only this site's events (its write key)

Prints one "Cart Abandoned" or "Cart Recovered" event per line (NDJSON, the collector's line format) and a
summary on stderr. The collector runs the same detector live (spoor serve --cart-window); both give one
abandonment the same messageId, so their outputs dedupe against each other.

${followUsage}`

/** `spoor carts`: the batch detector over published files. */
export const carts: Command = {
  usage,
  async run(args) {
    if (args.includes('--follow')) return cartsFollow(args)
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        window: { type: 'string' },
        'recover-within': { type: 'string' },
        now: { type: 'string' },
        site: { type: 'string' },
      },
    })
    const dataDir = await dataFolderArgument(positionals)
    const windowMs = readOption('--window', () => parseDuration(values.window ?? '60m'))
    const recoverWithinMs = readOption('--recover-within', () => parseDuration(values['recover-within'] ?? '24h'))
    const now = values.now ? readOption('--now', () => parseTime(values.now!)) : new Date()
    const detector = createCartDetector({ windowMs, recoverWithinMs })
    const decided = await detectInFiles(detector, dataDir, { now, ...(values.site ? { writeKey: values.site } : {}) })
    if (decided.length) process.stdout.write(decided.map((line) => JSON.stringify(line)).join('\n') + '\n')
    const count = (event: string) => decided.filter((line) => line.event === event).length
    console.error(
      `${count('Cart Abandoned')} abandoned, ${count('Cart Recovered')} recovered (window ${values.window ?? '60m'}, as of ${now.toISOString()})`,
    )
    return 0
  },
}
