/**
 * The write key of a request: the HTTP Basic user (Segment libraries: `Authorization: Basic base64(key:)`), else
 * the body's `writeKey` (beacons cannot set headers), else the `writeKey` query parameter.
 */
export function writeKeyOf(request: Request, bodyKey: string | undefined): string | undefined {
  const authorization = request.headers.get('authorization')
  if (authorization?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8')
    const user = decoded.split(':')[0]
    if (user) return user
  }
  return bodyKey ?? new URL(request.url).searchParams.get('writeKey') ?? undefined
}
