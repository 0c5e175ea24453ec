import { describe, expect, it } from 'vitest'
import { esc, shownLabel } from '../../src/html.js'

describe('text from the data in a page', () => {
  it('is escaped without loss where it travels back (a form field keeps a filter value with its tab as it was)', () => {
    expect(esc('note=pro\tannual <b>&"\'')).toBe('note=pro\tannual &lt;b&gt;&amp;&quot;&#39;')
    expect(esc('\u0000\u001b')).toBe('\u0000\u001b')
  })

  it('is shown as a label without control characters: a tab or line break a space, any other U+FFFD', () => {
    expect(shownLabel('pro\tannual\nplan\u0000\u001b<')).toBe('pro annual plan\uFFFD\uFFFD&lt;')
    // Scripts and emoji are shown as sent.
    expect(shownLabel('Zürich · 東京 · 👩‍👩‍👧')).toBe('Zürich · 東京 · 👩‍👩‍👧')
  })
})
