import { builtinModules } from 'node:module'

/** The fields of a published package.json that the packaging tests read. */
export interface Manifest {
  name: string
  license?: string
  exports?: unknown
  bin?: string | Record<string, string>
  main?: string
  module?: string
  types?: string
  typings?: string
  files?: string[]
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}

const clean = (path: string) => path.replace(/^\.\//, '')

/** Every file the manifest points at: each condition of `exports`, each `bin`, `main`, `module`, `types`. */
export function pointedFiles(manifest: Manifest): string[] {
  const found: string[] = []
  const walk = (value: unknown): void => {
    if (typeof value === 'string') found.push(clean(value))
    else if (value && typeof value === 'object') Object.values(value).forEach(walk)
  }
  walk(manifest.exports)
  walk(manifest.bin)
  for (const field of [manifest.main, manifest.module, manifest.types, manifest.typings])
    if (field) found.push(clean(field))
  return [...new Set(found)]
}

/** Whether a tarball path is covered by one entry of `files` (a file, a folder, or a pattern with `*`). */
export function matchesFilesEntry(path: string, entry: string): boolean {
  const pattern = clean(entry).replace(/\/$/, '')
  if (!pattern.includes('*')) return path === pattern || path.startsWith(pattern + '/')
  const source = pattern
    .split(/(\*\*\/?|\*)/)
    .map((part) =>
      part.startsWith('**') ? '(?:.*/)?' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
  return new RegExp(`^${source.join('')}(?:/.*)?$`).test(path)
}

/** The package a bare import specifier names (`@scope/name/sub` → `@scope/name`), or undefined for Node's own modules. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!)) return undefined
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}
