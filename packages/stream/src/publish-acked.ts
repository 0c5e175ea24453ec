import type { JetStreamClient, PubAck } from '@nats-io/jetstream'

/** One message for {@link publishAcked}. */
export interface Outgoing {
  subject: string
  body: string
  /** `Nats-Msg-Id`: makes a retry safe (the stream acknowledges a repeat as a duplicate). */
  msgID?: string
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Publishes one message and resolves with its PubAck, trying again until `timeoutMs` has passed while nothing
 * answers: for a moment after a server dies its stream has no leader, and the publish finds no responder. A message
 * without an id is tried once, as a retry could store it twice.
 */
export async function publishAcked(js: JetStreamClient, message: Outgoing, timeoutMs: number): Promise<PubAck> {
  const deadline = Date.now() + timeoutMs
  for (let attempt = 0; ; attempt++) {
    const left = deadline - Date.now()
    try {
      return await js.publish(message.subject, message.body, {
        timeout: Math.max(left, 1),
        ...(message.msgID ? { msgID: message.msgID } : {}),
      })
    } catch (error) {
      const wait = Math.min(50 * 2 ** attempt, 500)
      if (!message.msgID || Date.now() + wait >= deadline) throw error
      await sleep(wait)
    }
  }
}
