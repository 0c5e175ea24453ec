#!/usr/bin/env node
// Runs a command (the test suite) with TMPDIR set to a folder of its own, and removes that folder when the command
// ends, however it ends. The tests make a temporary folder for every data folder, collector, browser profile, cluster
// and package they use, and so do the report and compaction for their scratch files: left in the system's temporary
// folder, a day of test runs left thousands of them, a gigabyte and more. A test killed by its timeout, or a child
// process still writing as its test ends, leaves nothing behind either.
//
//   node scripts/in-own-temp.mjs vitest run
import { spawn } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const [command, ...args] = process.argv.slice(2)
if (!command) {
  console.error('usage: node scripts/in-own-temp.mjs <command> [args...]')
  process.exit(2)
}
const root = mkdtempSync(join(tmpdir(), 'spoor-test-run-'))
// Open to every user, as /tmp is (sticky: each removes only their own): some tests run spoor as another user, whose
// tools (tsx's cache) make folders of their own in TMPDIR.
chmodSync(root, 0o1777)
const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, TMPDIR: root } })
// Ctrl-C reaches the whole process group already; a SIGTERM sent to this process alone is passed on.
process.on('SIGINT', () => {})
process.on('SIGTERM', () => child.kill('SIGTERM'))

const removeRoot = () => {
  try {
    rmSync(root, { recursive: true, force: true, maxRetries: 3 })
  } catch (error) {
    // A file system a test mounted and could not unmount: say where, rather than fail a run that passed.
    console.error(`could not remove the tests' temporary folder ${root}: ${error.message}`)
  }
}
child.on('error', (error) => {
  removeRoot()
  console.error(`could not run ${command}: ${error.message}`)
  process.exit(127)
})
child.on('exit', (code, signal) => {
  removeRoot()
  process.exit(code ?? (signal ? 1 : 0))
})
