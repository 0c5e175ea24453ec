import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))

/**
 * Which of our packages each package's published code may import: every arrow points toward `protocol` and `log`,
 * and only the CLI wires the others together (ARCHITECTURE.md draws the same graph). The snippet is a package of
 * built files the collector serves, never imported.
 */
const allowed: Record<string, string[]> = {
  protocol: [],
  log: ['protocol'],
  stream: ['protocol'],
  sdk: ['protocol'],
  snippet: ['sdk'],
  collector: ['protocol', 'log', 'snippet'],
  carts: ['protocol', 'log'],
  email: ['protocol', 'log'],
  report: ['protocol', 'log', 'carts', 'email'],
  cli: ['protocol', 'log', 'stream', 'collector', 'carts', 'email', 'report'],
}

const packages = readdirSync(join(root, 'packages')).sort()
const manifest = (name: string) => JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'))
/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/')
const builtin = new Set(builtinModules)

/** Every module each source file of a package imports (static, dynamic, type-only and re-exports alike). */
function importsOf(name: string): { file: string; specifier: string }[] {
  const src = join(root, 'packages', name, 'src')
  const files = (readdirSync(src, { recursive: true }) as string[]).filter(
    (file) => /\.(ts|mjs|js)$/.test(file) && !file.endsWith('.d.ts'),
  )
  return files.flatMap((file) =>
    ts
      .preProcessFile(readFileSync(join(src, file), 'utf8'), true, true)
      .importedFiles.map(({ fileName }) => ({ file: join(src, file), specifier: fileName })),
  )
}

describe('the package graph', () => {
  it('knows every package', () => {
    expect(packages).toEqual(Object.keys(allowed).sort())
  })

  for (const name of packages) {
    describe(`@spoor/${name}`, () => {
      const found = importsOf(name)

      it('imports only the packages of ours beneath it', () => {
        const wrong = found
          .filter(
            ({ specifier }) =>
              specifier.startsWith('@spoor/') && !allowed[name]!.includes(packageOf(specifier).slice('@spoor/'.length)),
          )
          .map(({ file, specifier }) => `${relative(root, file)} imports ${specifier}`)
        expect(
          wrong,
          `@spoor/${name} may import only ${allowed[name]!.map((p) => `@spoor/${p}`).join(', ') || 'nothing of ours'}`,
        ).toEqual([])
      })

      it('reaches no file outside its own src/ by a relative path', () => {
        const src = join(root, 'packages', name, 'src')
        const escaping = found
          .filter(
            ({ file, specifier }) =>
              specifier.startsWith('.') && relative(src, resolve(dirname(file), specifier)).startsWith('..'),
          )
          .map(({ file, specifier }) => `${relative(root, file)} imports ${specifier}`)
        expect(escaping).toEqual([])
      })

      it('declares every package it imports as a dependency', () => {
        const { dependencies = {}, peerDependencies = {}, devDependencies = {} } = manifest(name)
        // The snippet's build bundles its imports: for it, a development dependency is what declares one.
        const declared = new Set([
          ...Object.keys(dependencies),
          ...Object.keys(peerDependencies),
          ...(name === 'snippet' ? Object.keys(devDependencies) : []),
        ])
        const undeclared = found
          .filter(
            ({ specifier }) => !specifier.startsWith('.') && !specifier.startsWith('node:') && !builtin.has(specifier),
          )
          .filter(({ specifier }) => !declared.has(packageOf(specifier)))
          .map(({ file, specifier }) => `${relative(root, file)} imports ${specifier}`)
        expect(undeclared, `add them to packages/${name}/package.json "dependencies"`).toEqual([])
      })

      it('declares only packages of ours the graph allows', () => {
        const { dependencies = {} } = manifest(name)
        const ours = Object.keys(dependencies)
          .filter((dep) => dep.startsWith('@spoor/'))
          .map((dep) => dep.slice('@spoor/'.length))
        expect(ours.filter((dep) => !allowed[name]!.includes(dep))).toEqual([])
      })
    })
  }

  it('builds each TypeScript package after the packages of ours it depends on (tsconfig references)', () => {
    for (const name of packages) {
      let config: { references?: { path: string }[] }
      try {
        config = ts.readConfigFile(join(root, 'packages', name, 'tsconfig.build.json'), ts.sys.readFile).config
      } catch {
        continue
      }
      if (!config) continue
      const referenced = (config.references ?? []).map((ref) => ref.path.split('/')[1]).sort()
      const dependedOn = Object.keys(manifest(name).dependencies ?? {})
        .filter((dep) => dep.startsWith('@spoor/') && dep !== '@spoor/snippet')
        .map((dep) => dep.slice('@spoor/'.length))
        .sort()
      expect(referenced, `packages/${name}/tsconfig.build.json references`).toEqual(dependedOn)
    }
  })
})
