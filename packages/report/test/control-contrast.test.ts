import { describe, expect, it } from 'vitest'
import { contrastRatio } from '../src/controls/contrast.js'
import { controlColours } from '../src/controls/styles.js'

describe('dashboard controls', () => {
  it('measures contrast as WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2)
  })

  it.each(Object.entries(controlColours))('%s meets WCAG AA for text (4.5:1)', (_, { fg, bg }) => {
    expect(contrastRatio(fg, bg)).toBeGreaterThanOrEqual(4.5)
  })
})
