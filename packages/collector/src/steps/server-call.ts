/**
 * Whether a request is an authenticated server-side call, whose own `User-Agent` names an HTTP library and says
 * nothing of the visitor: it presents credentials the way server libraries do, and carries no `Origin`.
 *
 * Credentials: `Authorization: Basic base64(writeKey:)` with the write key the request is counted under — what
 * `@segment/analytics-node`, Segment's Python, Go and Ruby libraries, RudderStack's Node SDK and `curl -u KEY:`
 * send (mobile libraries too, whose own agent says as little of a bot) — or `Authorization: Bearer …`,
 * analytics-node's OAuth mode (its write key is then in the body). The snippet never sends an `Authorization`
 * header: beacons cannot, so its write key is always in the body. RudderStack's browser SDK does, with an `Origin`.
 *
 * What can be forged: the write key is public (it is in every page), so anyone can present it, and anyone outside
 * a browser can send any user agent too. The bot flag labels bots that say what they are; one that wants to pass
 * for a person sends a browser's agent, which is easier than posing as a server. What a browser cannot do is drop
 * `Origin`: it is on every cross-origin request and every POST, and no page script can set or remove it. So a
 * crawler that renders pages (Googlebot, headless Chrome) is judged by its agent whatever the page's script sends.
 * `Sec-Fetch-Mode` is no sign of a browser: Node's own `fetch`, which analytics-node uses, sends it.
 *
 * @param authorization the request's `Authorization` header
 * @param origin the request's `Origin` header
 * @param writeKey the write key the request is counted under
 */
export function isServerCall(authorization: string | undefined, origin: string | undefined, writeKey: string): boolean {
  if (origin !== undefined || !authorization) return false
  const space = authorization.indexOf(' ')
  const scheme = authorization.slice(0, space).toLowerCase()
  const credentials = authorization.slice(space + 1).trim()
  if (space < 0 || !credentials) return false
  if (scheme === 'bearer') return true
  if (scheme !== 'basic') return false
  const decoded = Buffer.from(credentials, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return (colon < 0 ? decoded : decoded.slice(0, colon)) === writeKey
}
