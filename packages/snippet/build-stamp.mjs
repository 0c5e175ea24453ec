// A record of every file a snippet build read and wrote, by content hash: when none of them changed, building
// again would write the same bytes, so `npm start` and the test setup skip it. Imports nothing heavy, so that the
// check costs no more than reading the files.
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const stamp = join(dirname(fileURLToPath(import.meta.url)), 'dist', '.build-stamp.json')

const hashOf = (path) => {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('base64url')
  } catch {
    return null
  }
}

/** Writes the stamp into `dist/`: each file's path and content hash. */
export function writeStamp(paths) {
  const files = Object.fromEntries([...new Set(paths)].sort().map((path) => [path, hashOf(path)]))
  writeFileSync(stamp, JSON.stringify({ files }, null, 1) + '\n')
}

/** True when the stamp exists and every file it lists still has the content it had. */
export function snippetIsFresh() {
  let files
  try {
    files = JSON.parse(readFileSync(stamp, 'utf8')).files
  } catch {
    return false
  }
  const entries = Object.entries(files ?? {})
  return entries.length > 0 && entries.every(([path, hash]) => hash !== null && hashOf(path) === hash)
}
