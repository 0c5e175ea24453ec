/** Fields of one log line. Never a client's IP, a request body or an event: logs are kept longer than data. */
export type LogFields = Record<string, string | number | boolean | null | undefined>

/** Structured JSON logs: one object per line, with `time`, `level` and `msg`. */
export interface Logger {
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
}

/**
 * Creates a logger writing one JSON object per line (info to stdout, warnings and errors to stderr by default).
 *
 * @param write - where a finished line goes (default: `console.log` for info, `console.error` otherwise)
 * @example
 * const log = createLogger()
 * log.warn('disk below watermark', { freeBytes: 1024 })
 * // {"time":"2026-11-23T15:04:05.000Z","level":"warn","msg":"disk below watermark","freeBytes":1024}
 */
export function createLogger(write?: (line: string, level: 'info' | 'warn' | 'error') => void): Logger {
  const emit = (level: 'info' | 'warn' | 'error', msg: string, fields: LogFields = {}) => {
    const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })
    if (write) write(line, level)
    else if (level === 'info') console.log(line)
    else console.error(line)
  }
  return {
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  }
}

/** A logger that drops everything: the default of library use and tests. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} }
