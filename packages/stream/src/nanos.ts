/** Milliseconds as the nanoseconds JetStream's API counts in. */
export const nanos = (ms: number) => ms * 1_000_000
