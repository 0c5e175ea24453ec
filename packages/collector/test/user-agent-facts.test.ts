import { describe, expect, it } from 'vitest'
import { createUserAgentFacts } from '../src/derive/user-agent-facts.js'

const iphoneSafari =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'
const ipadSafari =
  'Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.0 Mobile/15E148 Safari/604.1'
const linuxFirefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'
const windowsEdge =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/143.0.0.0 Safari/537.36 Edg/143.0.0.0'
const googlebot = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'

describe('the browser, OS and device type of a user agent', () => {
  const factsOf = createUserAgentFacts()

  it('knows Safari on an iPhone as a mobile, and on an iPad as a tablet', () => {
    expect(factsOf(iphoneSafari)).toEqual({
      browser: { name: 'Safari', version: '17' },
      os: { name: 'iOS', version: '17.4' },
      deviceType: 'mobile',
    })
    expect(factsOf(ipadSafari)).toMatchObject({ os: { name: 'iOS' }, deviceType: 'tablet' })
  })

  it('knows Firefox and Edge on desktops, with the major version only', () => {
    expect(factsOf(linuxFirefox)).toEqual({
      browser: { name: 'Firefox', version: '128' },
      os: { name: 'Linux' },
      deviceType: 'desktop',
    })
    expect(factsOf(windowsEdge)).toMatchObject({
      browser: { name: 'Microsoft Edge', version: '143' },
      os: { name: 'Windows' },
      deviceType: 'desktop',
    })
  })

  it('gives a crawler no OS and no device type, and no agent or an oversized one nothing', () => {
    const bot = factsOf(googlebot)
    expect(bot.os).toBeUndefined()
    expect(bot.deviceType).toBeUndefined()
    expect(factsOf(undefined)).toEqual({})
    expect(factsOf('')).toEqual({})
    expect(factsOf(`Mozilla/5.0 ${'x'.repeat(2000)}`)).toEqual({})
  })

  it('parses an agent once while it is remembered, and remembers within its budget', () => {
    const small = createUserAgentFacts(4096)
    const first = small(iphoneSafari)
    expect(small(iphoneSafari)).toBe(first)
    for (let i = 0; i < 200; i++) small(`${linuxFirefox} build/${i}`)
    // Pushed out by 200 other agents: parsed again, into an equal but new object.
    const again = small(iphoneSafari)
    expect(again).not.toBe(first)
    expect(again).toEqual(first)
  })
})
