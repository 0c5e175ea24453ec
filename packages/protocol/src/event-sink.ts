import type { EventLine, RejectedLine } from '@spoor/protocol'

/** Where accepted and rejected events go. Each promise resolves only once the lines are kept. */
export interface EventSink {
  write(lines: EventLine[], receivedAt: Date): Promise<void>
  reject(lines: RejectedLine[], receivedAt: Date): Promise<void>
  /** Publishes what is open; the sink takes no more writes. */
  close(): Promise<void>
}
