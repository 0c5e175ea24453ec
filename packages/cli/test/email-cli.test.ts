import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { attributeUrls, exampleDir, fillIn } from '../../../test/support/email-helpers.js'
import { readLines, tempDir } from '../../../test/support/helpers.js'
import { listeningUrl, runSpoor, serveOnFreePort, spawnSpoor } from '../../../test/support/run-cli.js'

const readme = fileURLToPath(new URL('../../../README.md', import.meta.url))

/** The five lines of the README's email flow. */
async function readmeFlow(): Promise<string[]> {
  const block = /<!-- email-flow -->\s*```sh\n([\s\S]*?)```/.exec(await readFile(readme, 'utf8'))
  if (!block) throw new Error('README.md has no <!-- email-flow --> block')
  return block[1]!.trimEnd().split('\n')
}

describe('spoor email', () => {
  it('shows the whole flow in five lines on --help, the same five lines as the README', {
    timeout: 30_000,
  }, async () => {
    const { code, stdout } = await runSpoor(['email', '--help'])
    expect(code).toBe(0)
    const flow = await readmeFlow()
    expect(flow).toHaveLength(5)
    const helpFlow = /The whole flow:\n((?: {2}.*\n){5})/
      .exec(stdout)![1]!
      .trimEnd()
      .split('\n')
      .map((line) => line.slice(2))
    expect(helpFlow).toEqual(flow)
    expect(stdout).toMatch(/^ {2}instrument FILE /m)
    expect((await runSpoor(['--help'])).stdout).toMatch(/email\s+instrument HTML email/)
  })

  it('makes a 256-bit signing key', async () => {
    const { code, stdout, stderr } = await runSpoor(['email', 'key'])
    expect(code).toBe(0)
    expect(stdout.trim()).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(stderr).toContain('{"sites": [{"writeKey": "KEY"}], "email": {"signingKeys": ["<this key>"]}}')
  })

  it('instruments the example email into the committed example output', async () => {
    const out = join(await tempDir(), 'out.html')
    const { code, stderr } = await runSpoor([
      'email',
      'instrument',
      exampleDir + 'campaign.html',
      '--campaign',
      'spring-sale',
      '--write-key',
      'demo-shop-key',
      '--base',
      'http://localhost:8787',
      '--recipient',
      '{{id}}',
      '--email-id',
      'spring-sale-1',
      '--config',
      exampleDir + 'spoor.config.json',
      '--out',
      out,
    ])
    expect(code).toBe(0)
    expect(await readFile(out, 'utf8')).toBe(await readFile(exampleDir + 'campaign.instrumented.html', 'utf8'))
    expect(stderr).toContain('spring-sale / email spring-sale-1: 5 links tracked (4 destinations), open pixel added')
    expect(stderr).toContain('left alone: tel:+441234567890 (tel: link)')
  })

  it('signs the links of the plain-text part with --text, and says the part is text without it', async () => {
    const dir = await tempDir()
    const file = join(dir, 'mail.txt')
    await writeFile(file, 'Hi {{first_name}},\n\nThe sale: https://shop.example/sale?ref={{id}}.\n')
    const args = ['email', 'instrument', file, '--campaign', 'spring-sale', '--write-key', 'demo-shop-key']
    const rest = [
      '--base',
      'http://localhost:8787',
      '--recipient',
      '{{id}}',
      '--config',
      exampleDir + 'spoor.config.json',
    ]
    const text = await runSpoor([...args, ...rest, '--text'])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(
      /^Hi \{\{first_name\}\},\n\nThe sale: http:\/\/localhost:8787\/email\/c\?\S+&r=\{\{id\}\}&t=\{\{id\}\}\.\n$/,
    )
    expect(text.stderr).toContain('1 links tracked (1 destinations), plain text: no open pixel')
    // An unsubscribe link is left alone, and so is a link marked --skip: text has no data-spoor-skip.
    const lists = 'Unsubscribe: https://shop.example/unsubscribe?u={{id}}\nLeave: https://shop.example/leave?u={{id}}\n'
    await writeFile(file, lists)
    const skipped = await runSpoor([...args, ...rest, '--text', '--skip', 'https://shop.example/leave'])
    expect(skipped.code, skipped.stderr).toBe(0)
    expect(skipped.stdout).toBe(lists)
    expect(skipped.stderr).toContain(
      'left alone: https://shop.example/unsubscribe?u={{id}} (unsubscribe or list-management link: left as written)',
    )
    expect(skipped.stderr).toContain('left alone: https://shop.example/leave?u={{id}} (marked to skip)')
    await writeFile(file, 'Hi {{first_name}},\n\nThe sale: https://shop.example/sale?ref={{id}}.\n')
    const html = await runSpoor([...args, ...rest])
    expect(html.code).toBe(2)
    expect(html.stderr).toContain('this looks like the plain-text part')
    expect(html.stderr).toContain('--text')
  })

  it('warns, and still writes the email, when tracking takes it past the size at which Gmail clips', async () => {
    const dir = await tempDir()
    const html = join(dir, 'newsletter.html')
    const story = (i: number) =>
      `<p>${'Lorem ipsum dolor sit amet. '.repeat(12)}</p><a href="https://news.example/${i}">More</a>`
    await writeFile(html, `<body>${Array.from({ length: 250 }, (_, i) => story(i)).join('\n')}</body>`)
    const { code, stdout, stderr } = await runSpoor([
      'email',
      'instrument',
      html,
      '--campaign',
      'weekly',
      '--write-key',
      'demo-shop-key',
      '--base',
      'http://localhost:8787',
      '--config',
      exampleDir + 'spoor.config.json',
    ])
    expect(code).toBe(0)
    expect(stdout).toContain('/email/c?')
    expect(stderr).toMatch(/\n {2}warning: the HTML is \d+\.\d KB \(\d+\.\d KB before tracking\): Gmail clips/)
  })

  it('says what is wrong with a readable message', { timeout: 30_000 }, async () => {
    const dir = await tempDir()
    const noKeys = join(dir, 'no-keys.json')
    await writeFile(noKeys, JSON.stringify({ sites: [{ writeKey: 'KEY', origins: [] }] }))
    const html = join(dir, 'a.html')
    await writeFile(html, '<a href="https://shop.example/">x</a>')
    const args = [
      'email',
      'instrument',
      html,
      '--campaign',
      'c',
      '--write-key',
      'KEY',
      '--base',
      'https://t.example.com',
    ]
    const cases: [string[], string][] = [
      [[...args, '--config', noKeys], 'has no signing key: run "spoor email key"'],
      [[...args, '--config', exampleDir + 'spoor.config.json'], '--write-key KEY is not a site of'],
      [
        ['email', 'instrument', html, '--write-key', 'KEY', '--base', 'x', '--config', noKeys],
        '--campaign is required',
      ],
      [
        [
          'email',
          'instrument',
          join(dir, 'missing.html'),
          '--campaign',
          'c',
          '--write-key',
          'demo-shop-key',
          '--base',
          'https://t.example.com',
          '--config',
          exampleDir + 'spoor.config.json',
        ],
        'cannot read',
      ],
      [['email', 'report', '--window', 'soon'], '--window: "soon" is not a duration'],
      [['email', 'send'], 'unknown email command "send"'],
    ]
    for (const [argv, message] of cases) {
      const { code, stderr } = await runSpoor(argv)
      expect(code, argv.join(' ')).toBe(2)
      expect(stderr).toContain(message)
    }
  })

  it('runs the flow end to end: key, instrument, serve, open and click, report', { timeout: 30_000 }, async () => {
    const dir = await tempDir()
    const key = (await runSpoor(['email', 'key'])).stdout.trim()
    const config = join(dir, 'spoor.config.json')
    await writeFile(
      config,
      JSON.stringify({ sites: [{ writeKey: 'cli-key', origins: [] }], email: { signingKeys: [key] } }),
    )
    await writeFile(join(dir, 'campaign.html'), '<body><a href="https://shop.example/tea?ref={{id}}">Tea</a></body>')

    const server = spawnSpoor([...serveOnFreePort, '--data', join(dir, 'data'), '--config', config])
    const url = await listeningUrl(server)
    const instrumented = await runSpoor(
      [
        'email',
        'instrument',
        join(dir, 'campaign.html'),
        '--campaign',
        'spring',
        '--write-key',
        'cli-key',
        '--base',
        url,
        '--recipient',
        '{{id}}',
      ],
      { SPOOR_CONFIG: config },
    )
    expect(instrumented.code).toBe(0)
    const mail = fillIn(instrumented.stdout, { id: 'ada' })
    const browser = {
      'user-agent':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    }
    const [pixel] = attributeUrls(mail, 'src')
    expect((await fetch(pixel!, { headers: browser })).headers.get('content-type')).toBe('image/gif')
    const [link] = attributeUrls(mail, 'href')
    const click = await fetch(link!, { headers: browser, redirect: 'manual' })
    expect(click.status).toBe(302)
    expect(click.headers.get('location')).toMatch(/^https:\/\/shop\.example\/tea\?ref=ada&spoor_c=/)
    const exited = new Promise((resolve) => server.on('exit', resolve))
    server.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect((await readLines(join(dir, 'data'))).map((e) => e.event)).toEqual(['Email Opened', 'Email Link Clicked'])

    const report = await runSpoor(['email', 'report', '--data', join(dir, 'data')])
    expect(report.code).toBe(0)
    expect(report.stdout).toContain('<h2>spring</h2>')
    const json = await runSpoor(['email', 'report', '--json'], { SPOOR_DATA_DIR: join(dir, 'data') })
    expect(JSON.parse(json.stdout)).toMatchObject([
      {
        campaignId: 'spring',
        opens: { people: 1, machines: 0 },
        clicks: { people: 1 },
        recipients: { opened: 1, clicked: 1 },
      },
    ])
  })
})
