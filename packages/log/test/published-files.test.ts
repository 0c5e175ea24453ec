import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { listDataFiles } from '@spoor/log'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/helpers.js'

describe('listDataFiles', () => {
  it('lists partitions oldest first and files in the order their names give, whatever order they were made in', async () => {
    const root = join(await tempDir(), 'events')
    const made = [
      'dt=2026-03-02/hour=00/20260302T000100000Z-000002-bbbb.ndjson',
      'dt=2026-03-01/hour=23/20260301T235900000Z-000009-aaaa.ndjson',
      'dt=2026-03-01/hour=09/20260301T091000000Z-000003-aaaa.ndjson',
      'dt=2026-03-01/hour=09/20260301T090000000Z-000001-aaaa.ndjson',
      'dt=2026-03-01/hour=09/20260301T090000000Z-000001-Zzzz.ndjson',
      'dt=2026-03-01/hour=10/20260301T100000000Z-000004-aaaa.ndjson.open',
      'dt=2026-03-01/hour=10/notes.txt',
      'backup/hour=01/20260301T010000000Z-000001-aaaa.ndjson',
    ]
    for (const path of made) {
      await mkdir(join(root, path, '..'), { recursive: true })
      await writeFile(join(root, path), '')
    }
    const listed = async (options = {}) =>
      (await listDataFiles(root, options)).map((file) => file.path.slice(root.length + 1))
    // Code-unit order: an upper-case letter before a lower-case one, as the bytes of the names go.
    expect(await listed()).toEqual([
      'dt=2026-03-01/hour=09/20260301T090000000Z-000001-Zzzz.ndjson',
      'dt=2026-03-01/hour=09/20260301T090000000Z-000001-aaaa.ndjson',
      'dt=2026-03-01/hour=09/20260301T091000000Z-000003-aaaa.ndjson',
      'dt=2026-03-01/hour=23/20260301T235900000Z-000009-aaaa.ndjson',
      'dt=2026-03-02/hour=00/20260302T000100000Z-000002-bbbb.ndjson',
    ])
    expect(
      await listed({
        from: new Date('2026-03-01T10:30:00.000Z'),
        to: new Date('2026-03-01T23:00:00.000Z'),
        includeOpen: true,
      }),
    ).toEqual([
      'dt=2026-03-01/hour=10/20260301T100000000Z-000004-aaaa.ndjson.open',
      'dt=2026-03-01/hour=23/20260301T235900000Z-000009-aaaa.ndjson',
    ])
    // A range that starts at midnight leaves the day before out; one that ends at midnight keeps that hour.
    expect(await listed({ from: new Date('2026-03-02T00:00:00.000Z') })).toEqual([
      'dt=2026-03-02/hour=00/20260302T000100000Z-000002-bbbb.ndjson',
    ])
    expect(
      await listed({ from: new Date('2026-03-01T23:59:59.999Z'), to: new Date('2026-03-02T00:00:00.000Z') }),
    ).toEqual([
      'dt=2026-03-01/hour=23/20260301T235900000Z-000009-aaaa.ndjson',
      'dt=2026-03-02/hour=00/20260302T000100000Z-000002-bbbb.ndjson',
    ])
    expect(await listed({ to: new Date('2026-03-01T08:59:59.999Z') })).toEqual([])
    const [first] = await listDataFiles(root)
    expect(first).toMatchObject({ partition: 'dt=2026-03-01/hour=09', open: false })
    expect(first!.hour.toISOString()).toBe('2026-03-01T09:00:00.000Z')
  })
})
