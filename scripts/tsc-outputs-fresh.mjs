// The check `tsc -b` makes before building a project, without loading TypeScript (about a second): a project is
// up to date when its build record is newer than every file of its sources and its configs.
import { readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'

const mtime = (path) => {
  try {
    return statSync(path).mtimeMs
  } catch {
    return undefined
  }
}

/** The newest modification time of `dir` and everything under it (a folder's changes when a file is removed). */
const newestUnder = (dir) =>
  Math.max(
    mtime(dir) ?? Infinity,
    ...readdirSync(dir, { recursive: true }).map((name) => mtime(join(dir, name)) ?? Infinity),
  )

/**
 * True when, for every given `tsconfig.build.json`, its `dist/.tsbuildinfo` exists and is newer than `src/`
 * and everything in it, its own config and each of `sharedConfigs`; false means run `tsc -b`.
 */
export function tscOutputsFresh(projects, sharedConfigs) {
  return projects.every((project) => {
    const dir = dirname(project)
    const built = mtime(join(dir, 'dist/.tsbuildinfo'))
    if (built === undefined) return false
    const inputs = [
      newestUnder(join(dir, 'src')),
      ...[project, ...sharedConfigs].map((config) => mtime(config) ?? Infinity),
    ]
    return inputs.every((time) => time < built)
  })
}
