// A record of every file a snippet build read and wrote, by content hash: when none of them changed, building
// again would write the same bytes, so `npm start` and the test setup skip it.
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'

const hashOf = (path) => {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('base64url')
  } catch {
    return null
  }
}

/** Writes the stamp: each file's path and content hash. */
export function writeStamp(stampPath, paths) {
  const files = Object.fromEntries([...new Set(paths)].sort().map((path) => [path, hashOf(path)]))
  writeFileSync(stampPath, JSON.stringify({ files }, null, 1) + '\n')
}

/** True when the stamp exists and every file it lists still has the content it had. */
export function stampIsFresh(stampPath) {
  let files
  try {
    files = JSON.parse(readFileSync(stampPath, 'utf8')).files
  } catch {
    return false
  }
  const entries = Object.entries(files ?? {})
  return entries.length > 0 && entries.every(([path, hash]) => hash !== null && hashOf(path) === hash)
}
