import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/**
 * Packing needs the built `dist/` folders, and the `spoor` command of a clone runs `dist/cli.js`: build first, as
 * `npm start` does (skipped part by part when nothing changed).
 */
export default function setup(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url))], {
    stdio: 'inherit',
  })
}
