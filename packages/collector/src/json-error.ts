/** Where a JSON text first breaks (1-based line and column), and what is wrong there. */
export interface JsonError {
  line: number
  column: number
  message: string
}

class Stop {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/**
 * Finds the first syntax error of `text` read as JSON (RFC 8259), with its line and column, for a message an editor
 * can jump to; undefined when the text is valid. `JSON.parse` in Node 20 names no position for most errors.
 *
 * @example
 * findJsonError('{"sites": [],\n}') // { line: 2, column: 1, message: 'a comma before "}": JSON allows no trailing comma' }
 */
export function findJsonError(text: string): JsonError | undefined {
  let i = 0
  const found = () => (i >= text.length ? 'the end of the file' : `"${text[i]}"`)
  const stop = (message: string, at = i): never => {
    throw new Stop(at, message)
  }
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++
    // The commonest mistakes in hand-written JSON, named rather than reported as an unexpected "/".
    if (text.startsWith('//', i) || text.startsWith('/*', i)) stop('JSON has no comments')
  }
  const string = () => {
    const start = i++
    while (i < text.length && text[i] !== '"') {
      const code = text.charCodeAt(i)
      if (code < 0x20)
        stop(
          code === 10
            ? 'a string runs past the end of its line (missing closing ")'
            : 'a control character inside a string',
        )
      if (text[i] === '\\') {
        const escaped = text[i + 1] ?? ''
        if (escaped === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) stop('\\u must be followed by four hex digits')
          i += 6
          continue
        }
        if (!'"\\/bfnrt'.includes(escaped) || !escaped)
          stop(`"\\${escaped}" is not an escape JSON knows (use \\\\ for a backslash)`)
        i += 2
        continue
      }
      i++
    }
    if (i >= text.length) stop('a string is never closed (missing ")', start)
    i++
  }
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))
    if (!match) stop(`expected a value, found ${found()}`)
    i += match![0].length
  }
  const value = (): void => {
    space()
    const char = text[i]
    if (char === '{') object()
    else if (char === '[') array()
    else if (char === '"') string()
    else if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) number()
    else literal(char)
  }
  const literal = (char: string | undefined) => {
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length
        return
      }
    }
    if (char === "'") stop('strings take double quotes in JSON, not single ones')
    stop(`expected a value, found ${found()}`)
  }
  const object = () => {
    i++
    space()
    if (text[i] === '}') return void i++
    for (;;) {
      space()
      if (text[i] !== '"') {
        if (text[i] === '}') stop('a comma before "}": JSON allows no trailing comma')
        stop(`expected a property name in double quotes, found ${found()}`)
      }
      string()
      space()
      if (text[i] !== ':') stop(`expected ":" after the property name, found ${found()}`)
      i++
      value()
      space()
      if (text[i] === '}') return void i++
      if (text[i] !== ',') stop(`expected "," or "}" after a property, found ${found()}`)
      i++
    }
  }
  const array = () => {
    i++
    space()
    if (text[i] === ']') return void i++
    for (;;) {
      space()
      if (text[i] === ']') stop('a comma before "]": JSON allows no trailing comma')
      value()
      space()
      if (text[i] === ']') return void i++
      if (text[i] !== ',') stop(`expected "," or "]" after a list item, found ${found()}`)
      i++
    }
  }
  try {
    value()
    space()
    if (i < text.length) stop(`${found()} after the end of the JSON value`)
    return undefined
  } catch (error) {
    // A file nested deeper than the stack goes: no position, JSON.parse's own message will do.
    if (error instanceof RangeError) return undefined
    if (!(error instanceof Stop)) throw error
    const before = text.slice(0, error.offset)
    const line = before.split('\n').length
    return { line, column: error.offset - before.lastIndexOf('\n'), message: error.message }
  }
}
