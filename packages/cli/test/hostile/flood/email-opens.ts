// Run in a process of its own with a small heap: email opens of unique 14 KB recipient ids, as a stranger can send
// them to /email/o.gif, seen by the message memory. Prints what it holds once the flood is over.
import { createMessageMemory } from '@spoor/email'

const requests = Number(process.argv[2] ?? 40_000)
const memory = createMessageMemory({ capacity: 200_000 })
const padding = 'r'.repeat(14 * 1024)
for (let i = 0; i < requests; i++)
  memory.see(
    JSON.stringify(['shop-key', 'spring', 'e1', `${i}-${padding}`]),
    i % 2 ? { linkId: `${i}${padding}` } : undefined,
  )
globalThis.gc?.()
console.log(JSON.stringify({ remembered: memory.size, heapUsed: process.memoryUsage().heapUsed }))
