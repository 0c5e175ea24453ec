import { readdirSync, statSync, utimesSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { run } from './run-command.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const packages = ['protocol', 'log', 'stream', 'sdk', 'snippet', 'collector', 'carts', 'email', 'report', 'cli']

/** Each built file's modification time, by path. */
function builtFiles(): Map<string, number> {
  const times = new Map<string, number>()
  for (const name of packages) {
    const dist = join(root, 'packages', name, 'dist')
    for (const file of readdirSync(dist, { recursive: true }) as string[])
      times.set(join(dist, file), statSync(join(dist, file)).mtimeMs)
  }
  return times
}

const build = () => run(process.execPath, [join(root, 'scripts/build.mjs')], root)

// The global setup built everything; these builds come after it, as a second `npm start` does.
describe('the build, run again', () => {
  it('writes nothing when nothing changed', async () => {
    const before = builtFiles()
    const { code, stderr } = await build()
    expect(code, stderr).toBe(0)
    expect(builtFiles()).toEqual(before)
  })

  it('rebuilds a package whose sources were touched, and leaves the snippet, whose inputs kept their content', async () => {
    const record = join(root, 'packages/protocol/dist/.tsbuildinfo')
    const snippet = join(root, 'packages/snippet/dist/spoor.js')
    const before = builtFiles()
    const now = new Date()
    utimesSync(join(root, 'packages/protocol/src/limits.ts'), now, now)
    const { code, stderr } = await build()
    expect(code, stderr).toBe(0)
    const after = builtFiles()
    expect(after.get(record)).toBeGreaterThan(before.get(record)!)
    expect(after.get(snippet)).toBe(before.get(snippet))
  })
})
