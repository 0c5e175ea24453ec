import { spawn } from 'node:child_process'
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { docBlock } from '../support/doc-block.js'
import { publishedFiles } from '../support/fleet.js'
import { tempDir } from '../support/helpers.js'
import { freePort, natsServerPath } from '../support/nats-cluster.js'
import { spoorScript } from '../support/run-cli.js'

let group: number | undefined

afterAll(() => {
  // The block leaves its servers running in the background, in the process group of its shell.
  if (group) process.kill(-group, 'SIGKILL')
})

describe("the README's 3-node fleet on one machine", () => {
  it('runs as written (ports aside): both collectors answer 200 and the sinks write the event once', async () => {
    const block = await docBlock('README.md', 'fleet-on-one-machine')
    // The only changes: free ports for the fixed ones (others run tests here too), and `spoor` from source for `npx spoor`.
    let script = block.replace(/^npx spoor /gm, 'spoor ')
    // One pass over the text: replacing port by port would rewrite a free port that happens to contain a later one
    // (a free 46223 for 4222, then 6223 replaced inside it).
    const ports = new Map<string, string>()
    const fixed = ['4222', '4223', '4224', '6222', '6223', '6224', '8787', '8788']
    for (const port of fixed) {
      let free = String(await freePort())
      while ([...ports.values()].includes(free)) free = String(await freePort())
      ports.set(port, free)
    }
    script = script.replace(new RegExp(`\\b(${fixed.join('|')})\\b`, 'g'), (port) => ports.get(port) as string)
    const dir = await tempDir('spoor-readme-fleet-')
    const bin = join(dir, 'bin')
    await mkdir(bin)
    await writeFile(join(bin, 'spoor'), spoorScript())
    await chmod(join(bin, 'spoor'), 0o755)
    const natsDir = natsServerPath().replace(/\/nats-server$/, '')

    const shell = spawn('bash', ['-e', '-c', script], {
      cwd: dir,
      detached: true,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}:${natsDir}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    group = shell.pid
    let out = ''
    // curl's answers end without a newline: read from stdout alone, so the servers' logs on stderr cannot run into them.
    let answered = ''
    shell.stdout.on('data', (chunk) => {
      out += chunk
      answered += chunk
    })
    shell.stderr.on('data', (chunk) => (out += chunk))
    const code = await new Promise((resolve) => shell.on('exit', resolve))
    expect(code, out).toBe(0)
    const answers = [...answered.matchAll(/\{"success":[^\n]*?\}(?=\{|\n|$)/g)].map((m) => JSON.parse(m[0]))
    expect(answers, out).toEqual([
      expect.objectContaining({ success: true, accepted: 1 }),
      expect.objectContaining({ success: true, accepted: 1 }),
    ])

    const sinks = [join(dir, 'fleet/data/sink-1'), join(dir, 'fleet/data/sink-2')]
    await expect
      .poll(
        async () => {
          const lines = (await publishedFiles(sinks)).flatMap((f) =>
            f.text
              .split('\n')
              .filter(Boolean)
              .map((l) => JSON.parse(l)),
          )
          return lines.filter((l) => l.messageId === 'm-1').length
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe(1)
  })
})
