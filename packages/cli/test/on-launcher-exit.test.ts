import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { onLauncherExit } from '../src/on-launcher-exit.js'

/** Real processes, standing for launchers. */
const children: ReturnType<typeof spawn>[] = []
const start = (script: string) => {
  const child = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'ignore'] })
  children.push(child)
  return child
}
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
})

describe('onLauncherExit', () => {
  it('calls back once the launcher has exited', async () => {
    const child = start('exec sleep 60')
    await once(child, 'spawn')
    let calls = 0
    onLauncherExit(() => calls++, { pid: child.pid!, intervalMs: 20 })
    expect(calls).toBe(0)
    child.kill('SIGTERM')
    await expect.poll(() => calls).toBe(1)
  })

  it.runIf(process.platform === 'linux')(
    'takes a launcher that died but was not reaped (a zombie) for gone',
    async () => {
      // The background sleep ends once its parent has become `sleep 60` by exec, which never reaps it. (Ended at
      // once, a shell slow to exec, on a busy machine, reaped it first, and the pid was simply gone.)
      const parent = start('sleep 0.3 & echo $!; exec sleep 60')
      const [line] = await once(parent.stdout!, 'data')
      const zombie = Number(String(line).trim())
      const state = async () => (await readFile(`/proc/${zombie}/stat`, 'utf8').catch(() => '')).split(') ')[1]?.[0]
      await expect.poll(state, { timeout: 10_000 }).toBe('Z')
      let calls = 0
      onLauncherExit(() => calls++, { pid: zombie, intervalMs: 20 })
      await expect.poll(() => calls).toBe(1)
      expect(() => process.kill(zombie, 0)).not.toThrow()
    },
  )
})
