// Builds every package: the TypeScript ones with one incremental `tsc -b` (each tsconfig.build.json references the
// packages it imports, so those are built first), then the snippet. Each part is skipped when nothing it reads changed,
// without even loading the tools, so a second build (a second `npm start`) takes a fraction of a second;
// `--force` rebuilds everything.
import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { snippetIsFresh } from '../packages/snippet/build-stamp.mjs'
import { tscOutputsFresh } from './tsc-outputs-fresh.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const force = process.argv.includes('--force')
const built = ['protocol', 'log', 'stream', 'sdk', 'collector', 'carts', 'email', 'report', 'cli'].map((name) =>
  join(root, 'packages', name, 'tsconfig.build.json'),
)
if (force || !tscOutputsFresh(built, [join(root, 'tsconfig.base.json')])) {
  // tsc -b follows the references, building each project only if it is out of date.
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-b', ...built, ...(force ? ['--force'] : [])],
    {
      stdio: 'inherit',
    },
  )
}
if (force || !snippetIsFresh()) {
  const { buildSnippet } = await import('../packages/snippet/build.mjs')
  await buildSnippet({ force })
}
