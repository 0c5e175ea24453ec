/** One attribute of a start tag, as written: its value undecoded, and where the value's token sits in the HTML. */
export interface Attribute {
  /** Lower-cased. */
  name: string
  /** The value as written (entities not decoded); '' for an attribute without a value. */
  raw: string
  /** The offsets of the value's token, quotes included (start === end when there is no value). */
  start: number
  end: number
}

/** A start tag found in the HTML, with its attributes and its offsets. */
export interface StartTag {
  /** Lower-cased, prefix included (`a`, `img`, `v:roundrect`). */
  name: string
  start: number
  end: number
  attributes: Attribute[]
}

// Elements whose content is text, not markup: a `<a href>` inside a <style> or <script> is not a link.
const rawText = new Set(['script', 'style', 'title', 'textarea', 'xmp'])
const space = /[\t\n\f\r ]/

/**
 * Finds the start tags of an HTML document in order, with the offsets needed to change one attribute without
 * touching a byte around it (the sender's merge tags, whitespace and quoting must survive as written).
 * Outlook's conditional comments (`<!--[if mso]> … <![endif]-->`) are read as markup, because Outlook renders what
 * they hold (bulletproof buttons in VML carry links too); other comments are skipped.
 */
export function* startTags(html: string): Generator<StartTag> {
  const length = html.length
  const skipPast = (text: string, from: number) => {
    const at = html.indexOf(text, from)
    return at < 0 ? length : at + text.length
  }
  let i = 0
  while (i < length) {
    const lt = html.indexOf('<', i)
    if (lt < 0) return
    i = lt + 1
    if (html.startsWith('!--', i)) {
      if (html.startsWith('[if', i + 3))
        i = skipPast(']>', i) // the opener only: what follows is markup
      else if (html.startsWith('>', i + 3))
        i += 4 // `<!-->`, an empty comment (used by `<!--[if !mso]><!-->`)
      else if (html.startsWith('->', i + 3)) i += 5
      else i = skipPast('-->', i + 3)
      continue
    }
    if (html[i] === '!' || html[i] === '?' || html[i] === '/') {
      i = skipPast('>', i)
      continue
    }
    const nameMatch = /^[A-Za-z][^\t\n\f\r />]*/.exec(html.slice(i, i + 64))
    if (!nameMatch) continue // a lone '<' in text
    const tag: StartTag = { name: nameMatch[0].toLowerCase(), start: lt, end: length, attributes: [] }
    i += nameMatch[0].length
    while (i < length) {
      while (i < length && (space.test(html[i]!) || html[i] === '/')) i++
      if (i >= length) break
      if (html[i] === '>') {
        i++
        break
      }
      let nameEnd = i + 1
      while (nameEnd < length && !space.test(html[nameEnd]!) && !'/>='.includes(html[nameEnd]!)) nameEnd++
      const name = html.slice(i, nameEnd).toLowerCase()
      i = nameEnd
      while (i < length && space.test(html[i]!)) i++
      if (html[i] !== '=') {
        tag.attributes.push({ name, raw: '', start: i, end: i })
        continue
      }
      i++
      while (i < length && space.test(html[i]!)) i++
      const start = i
      const quote = html[i]
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, i + 1)
        const end = close < 0 ? length : close + 1
        tag.attributes.push({ name, raw: html.slice(i + 1, close < 0 ? length : close), start, end })
        i = end
      } else {
        while (i < length && !space.test(html[i]!) && html[i] !== '>') i++
        tag.attributes.push({ name, raw: html.slice(start, i), start, end: i })
      }
    }
    tag.end = i
    yield tag
    if (rawText.has(tag.name)) {
      // A search, not toLowerCase(): lower-casing can change the string's length and so every offset after it.
      const close = new RegExp('</' + tag.name, 'ig')
      close.lastIndex = i
      i = close.exec(html)?.index ?? length
    }
  }
}
