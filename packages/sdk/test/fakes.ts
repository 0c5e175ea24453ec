import type { Envelope } from '@spoor/protocol'
import type { KeyValue, Lock, SendResult, Store, Transport } from '../src/core/contracts.js'
import { createMemoryStore } from '../src/core/memory-store.js'

/** A transport that records what was sent and answers with the statuses it is given, in turn (then 200). */
export function fakeTransport(answers: (SendResult | 'network-error')[] = []) {
  const sent: { events: Envelope[]; body: any }[] = []
  const beacons: { events: Envelope[]; bytes: number }[] = []
  let beaconAnswer = true
  const transport: Transport = {
    async send(body) {
      const parsed = JSON.parse(body)
      sent.push({ events: parsed.batch, body: parsed })
      const answer = answers.shift() ?? { httpStatus: 200 }
      if (answer === 'network-error') throw new TypeError('Failed to fetch')
      return answer
    },
    beacon(body) {
      if (!beaconAnswer) return false
      beacons.push({ events: JSON.parse(body).batch, bytes: new TextEncoder().encode(body).length })
      return true
    },
  }
  return {
    transport,
    sent,
    beacons,
    refuseBeacons: () => (beaconAnswer = false),
    sentIds: () => sent.flatMap((s) => s.events.map((e) => e.messageId)),
  }
}

/** A store that counts its writes and can be made to fail. */
export function countingStore(inner: Store = createMemoryStore()) {
  const calls = { write: 0 }
  let failing = false
  const store: Store = {
    load: () => inner.load(),
    write: async (put, remove) => {
      calls.write++
      if (failing) throw new DOMException('quota', 'QuotaExceededError')
      return inner.write(put, remove)
    },
  }
  return { store, calls, fail: () => (failing = true) }
}

/** A lock shared by the "tabs" of a test, as navigator.locks is by the tabs of an origin. */
export function sharedLock(): Lock {
  let tail: Promise<unknown> = Promise.resolve()
  return (task) => {
    const run = tail.then(task, task)
    tail = run.catch(() => {})
    return run
  }
}

export const noLock: Lock = (task) => task()

/** Web Storage in memory: each key an own property, as `Object.keys(localStorage)` lists them; `map` shows them. */
export function memoryKeyValue(): KeyValue & { readonly map: Map<string, string> } {
  return Object.create({
    getItem(this: Record<string, string>, key: string) {
      return Object.hasOwn(this, key) ? this[key] : null
    },
    setItem(this: Record<string, string>, key: string, value: string) {
      this[key] = value
    },
    removeItem(this: Record<string, string>, key: string) {
      delete this[key]
    },
    get map() {
      return new Map(Object.entries(this))
    },
  })
}

export const event = (n: number, extra: Partial<Envelope> = {}): Envelope => ({
  type: 'track',
  event: `E${n}`,
  messageId: `m${n}`,
  anonymousId: 'a',
  ...extra,
})
