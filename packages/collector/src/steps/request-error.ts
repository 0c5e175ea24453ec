/** A request the collector refuses, with the status and a reason the sender can read. */
export class RequestError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 408 | 413 | 415 | 429 | 503,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}
