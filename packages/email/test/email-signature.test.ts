import { type SignedFields, signLink, verifyLink } from '@spoor/email'
import { describe, expect, it } from 'vitest'

const current = 'current-key-0123456789abcdefghijklmnop'
const previous = 'previous-key-0123456789abcdefghijklmnop'
const fields: SignedFields = {
  writeKey: 'KEY',
  campaignId: 'spring',
  emailId: 'e1',
  linkId: '1',
  url: 'https://shop.example/teapot',
}

describe('link signatures', () => {
  it('are 43 characters of base64url, the same for the same fields and key', () => {
    const signature = signLink(current, fields)
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(signLink(current, { ...fields })).toBe(signature)
    expect(verifyLink([current], fields, signature)).toBe(true)
  })

  it('cover every signed field: changing any one fails', () => {
    const signature = signLink(current, fields)
    for (const name of Object.keys(fields) as (keyof SignedFields)[]) {
      expect(verifyLink([current], { ...fields, [name]: fields[name] + 'x' }, signature), name).toBe(false)
    }
    // Fields cannot trade characters across their boundary.
    const shifted = { ...fields, campaignId: 'spring","e1', emailId: '' }
    expect(verifyLink([current], shifted, signature)).toBe(false)
  })

  it('rotate: every configured key verifies, a removed key does not', () => {
    const old = signLink(previous, fields)
    expect(verifyLink([current, previous], fields, old)).toBe(true)
    expect(verifyLink([current], fields, old)).toBe(false)
    expect(verifyLink([], fields, old)).toBe(false)
  })

  it('refuse truncated, extended and look-alike signatures', () => {
    const signature = signLink(current, fields)
    const refused = [
      '',
      signature.slice(0, 42),
      signature.slice(0, 22),
      signature + 'A',
      signature + '=',
      signature + '==',
      signature.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
      // Node's latin1 decoding keeps the low byte only: U+0151 would read as 'Q'.
      signature.replace(/./, (c) => String.fromCharCode(c.charCodeAt(0) + 0x100)),
      Buffer.from(signature, 'base64url').toString('base64'), // the same bytes in standard base64
      Buffer.from(signature, 'base64url').toString('hex'),
    ]
    for (const bad of refused) expect(verifyLink([current], fields, bad), JSON.stringify(bad)).toBe(false)
  })
})
