import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Person } from './person.js'

/** The identifiers of an erased person, as digests: a notice must not keep what the erasure removed. */
export interface ErasureNotice {
  userIds: string[]
  anonymousIds: string[]
  emails: string[]
}

const folder = (dataDir: string) => join(dataDir, 'erasures')

/** The digest a notice keeps of one identifier. */
export const identifierDigest = (kind: 'user' | 'anon' | 'email', id: string) =>
  createHash('sha256')
    .update(`${kind}:${kind === 'email' ? id.trim().toLowerCase() : id}`)
    .digest('base64url')

/**
 * How long a notice is kept. A collector running on the folder reads it within seconds (its cart detector's next
 * check), and one started later needs none: it rebuilds its carts from the files the erasure rewrote. Kept for ever,
 * notices were digests of every erased person's ids, which a digest of a known id still finds.
 */
export const erasureNoticeKeptMs = 86_400_000

// A notice's name starts with the time it was written (`20261207T235959123Z-…`): its age is read from there, on the
// clock that names the next one, not from the file's time.
const writtenAt = (name: string) => {
  const stamp = /^\.?(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-/.exec(name)
  return stamp
    ? Date.parse(`${stamp[1]}-${stamp[2]}-${stamp[3]}T${stamp[4]}:${stamp[5]}:${stamp[6]}.${stamp[7]}Z`)
    : Number.NaN
}

/**
 * Removes the notices (and half-written ones) written longer than `keptMs` ago: run by every erasure, by age or of a
 * person, and by `spoor serve`'s background compaction. A file not named as a notice is left.
 *
 * @returns how many were removed
 */
export async function removeOldErasureNotices(
  dataDir: string,
  keptMs = erasureNoticeKeptMs,
  now = Date.now(),
): Promise<number> {
  let removed = 0
  for (const name of await readdir(folder(dataDir)).catch(() => [] as string[])) {
    if (!name.endsWith('.json') && !name.endsWith('.json.tmp')) continue
    if (!(now - writtenAt(name) >= keptMs)) continue
    await unlink(join(folder(dataDir), name)).then(
      () => removed++,
      () => {},
    )
  }
  return removed
}

/**
 * Leaves a notice of an erasure in the data folder (`erasures/`), for a collector running on it: its cart detector
 * still holds the person's open carts in memory, and would otherwise write a `Cart Abandoned` for them after the
 * erasure. Written whole (a temporary name, then rename), so a reader never sees half of one.
 */
export async function writeErasureNotice(dataDir: string, person: Person): Promise<void> {
  const notice: ErasureNotice = {
    userIds: [...person.userIds].map((id) => identifierDigest('user', id)),
    anonymousIds: [...person.anonymousIds].map((id) => identifierDigest('anon', id)),
    emails: [...person.emails].map((email) => identifierDigest('email', email)),
  }
  await removeOldErasureNotices(dataDir)
  await mkdir(folder(dataDir), { recursive: true })
  const name = `${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}.json`
  await writeFile(join(folder(dataDir), `.${name}.tmp`), JSON.stringify(notice))
  await rename(join(folder(dataDir), `.${name}.tmp`), join(folder(dataDir), name))
}

/**
 * Reads the notices not in `seen` (and adds them to it); a notice that cannot be read is skipped, and read again
 * next time.
 */
export async function readNewErasureNotices(dataDir: string, seen: Set<string>): Promise<ErasureNotice[]> {
  const names = await readdir(folder(dataDir)).catch(() => [] as string[])
  const notices: ErasureNotice[] = []
  for (const name of names) {
    if (!name.endsWith('.json') || name.startsWith('.') || seen.has(name)) continue
    try {
      const notice = JSON.parse(await readFile(join(folder(dataDir), name), 'utf8')) as ErasureNotice
      notices.push({
        userIds: notice.userIds ?? [],
        anonymousIds: notice.anonymousIds ?? [],
        emails: notice.emails ?? [],
      })
      seen.add(name)
    } catch {}
  }
  return notices
}

/** Whether ids (as the cart detector holds them) belong to a person of the notices. */
export function namedBy(notices: ErasureNotice[]) {
  const users = new Set(notices.flatMap((n) => n.userIds))
  const anons = new Set(notices.flatMap((n) => n.anonymousIds))
  const emails = new Set(notices.flatMap((n) => n.emails))
  return (ids: { anonymousId: string | null; userId: string | null; email: string | null }) =>
    (ids.userId !== null && users.has(identifierDigest('user', ids.userId))) ||
    (ids.anonymousId !== null && anons.has(identifierDigest('anon', ids.anonymousId))) ||
    (ids.email !== null && emails.has(identifierDigest('email', ids.email)))
}
