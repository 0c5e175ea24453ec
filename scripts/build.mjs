// Builds every package: protocol, sdk and collector with one incremental `tsc -b` (their tsconfig.build.json files
// reference protocol, so it is built first), then the snippet. Each part is skipped when nothing it reads changed,
// so a second build (a second `npm start`) takes a second or two; `--force` rebuilds everything.
import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildSnippet } from '../packages/snippet/build.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const force = process.argv.includes('--force')
const projects = ['packages/sdk/tsconfig.build.json', 'packages/collector/tsconfig.build.json'].map((project) => join(root, project))
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', ...projects, ...(force ? ['--force'] : [])], {
  stdio: 'inherit',
})
await buildSnippet({ force })
