import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

/** Runs a flood script under `--max-old-space-size=256`; resolves to its exit code and last output line. */
function flood(script: string, ...args: string[]) {
  const path = fileURLToPath(new URL(`./flood/${script}`, import.meta.url))
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      ['--max-old-space-size=256', '--expose-gc', '--conditions=source', '--import', 'tsx', path, ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    child.stderr.on('data', (chunk) => (err += chunk))
    child.on('close', (code) => resolve({ code, out: out.trim().split('\n').at(-1) ?? '', err }))
  })
}

describe('memory that input can grow is bounded', () => {
  it('keeps the email message memory small whatever recipient ids a flood of opens carries (256 MB heap)', async () => {
    // 40,000 opens of 14 KB ids: 560 MB if each id were kept.
    const { code, out, err } = await flood('email-opens.ts', '40000')
    expect(code, err.slice(-500)).toBe(0)
    const { remembered, heapUsed } = JSON.parse(out) as { remembered: number; heapUsed: number }
    expect(remembered).toBe(40_000)
    expect(heapUsed).toBeLessThan(64 * 1024 * 1024)
  }, 120_000)

  it('keeps the cart detector within its limits under a flood of new cart ids with large contents (256 MB heap)', async () => {
    // 60,000 carts of 8 KB: about 500 MB if each were kept.
    const { code, out, err } = await flood('unique-carts.ts', '60000')
    expect(code, err.slice(-500)).toBe(0)
    const { held, bytes, refused, heapUsed } = JSON.parse(out) as {
      held: number
      bytes: number
      refused: number
      heapUsed: number
    }
    expect(bytes).toBeLessThanOrEqual(64 * 1024 * 1024)
    expect(held + refused).toBe(60_000)
    expect(refused).toBeGreaterThan(0)
    expect(heapUsed).toBeLessThan(160 * 1024 * 1024)
  }, 120_000)
})
