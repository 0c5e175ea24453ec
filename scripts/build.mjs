// Builds every package in dependency order: protocol → sdk → snippet → collector.
import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildSnippet } from '../packages/snippet/build.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const tsc = (project) =>
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, project)], { stdio: 'inherit' })

tsc('packages/protocol/tsconfig.build.json')
tsc('packages/sdk/tsconfig.build.json')
await buildSnippet()
tsc('packages/collector/tsconfig.build.json')
