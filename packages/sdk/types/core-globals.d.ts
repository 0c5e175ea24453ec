// The few host globals the DOM-free core may use; they exist in browsers, workers and Node alike.
declare function setTimeout(handler: () => void, ms?: number): unknown
declare function clearTimeout(id: unknown): void
declare const crypto: { getRandomValues<T extends ArrayBufferView>(array: T): T; randomUUID?(): string }
declare class TextEncoder {
  encode(input?: string): Uint8Array
}
declare class AbortController {
  readonly signal: AbortSignal
  abort(): void
}
interface AbortSignal {
  readonly aborted: boolean
}
