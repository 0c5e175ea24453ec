#!/usr/bin/env node
// The `spoor` command. This file is kept in the repository rather than built so that npm can link the command
// when a fresh clone installs, before `dist/` exists; it only loads the built CLI.
import { existsSync } from 'node:fs'

const cli = new URL('../dist/cli.js', import.meta.url)
if (existsSync(cli)) {
  await import(cli.href)
} else {
  console.error(
    'spoor: the collector is not built yet. Run "npm run build" (or "npm start") in the spoor folder first.',
  )
  process.exitCode = 1
}
