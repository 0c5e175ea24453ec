import { buildReport, compactDays } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../../test/support/compacted-data.js'
import { tempDir } from '../../../../test/support/helpers.js'

const at = '2026-03-01T10:00:00.000Z'
const now = new Date('2026-03-01T12:00:00.000Z')
const range = { from: new Date('2026-03-01T00:00:00.000Z'), to: now, now }

// Keys a sender may choose that a JSON path built from them would misread: a trailing backslash escapes the path's
// closing quote, an empty key is no path at all, and the rest are path syntax.
const keys = ['a\\', '', 'q\\"', 'n\nl', '$.x', '*', 'b~/c', '"']

/** One visitor's survey answer and sign-up, each keyed by every one of {@link keys}, in the form compaction leaves. */
async function keyedByEverything(compacted: boolean) {
  const dataDir = await tempDir()
  const byKey = (value: (i: number) => string) => Object.fromEntries(keys.map((key, i) => [key, value(i)]))
  await writeDataFile(dataDir, at, [
    eventLine('p1', at, { anonymousId: 'ann', path: '/' }),
    eventLine('s1', at, {
      anonymousId: 'ann',
      event: 'Survey Responded',
      properties: { survey_id: 'brew', answers: byKey((i) => `answer ${i}`) },
    }),
    eventLine('g1', at, { anonymousId: 'ann', event: 'Signed Up', properties: byKey((i) => `value ${i}`) }),
  ])
  if (compacted) await compactDays({ dataDir })
  return dataDir
}

describe('a property key a sender chose', () => {
  for (const compacted of [false, true]) {
    const read = compacted ? 'from a compacted day' : 'from its files'
    it(`is read as a key in the survey answers, whatever it holds (${read})`, async () => {
      const dataDir = await keyedByEverything(compacted)
      const surveys = (await buildReport({ dataDir, ...range })).sections.find((s) => s.id === 'surveys')!
      expect(surveys.html).not.toContain('data-error')
      const answers = surveys.csv!.rows.map((row) => [row[1], row[2]])
      // Four questions are shown: which four depends on their names' order, each with its own answer.
      expect(answers).toHaveLength(4)
      for (const [question, answer] of answers) {
        expect(answer).toBe(`answer ${keys.indexOf(question as string)}`)
      }
    })

    it(`is read as a key in a goal's properties and by a property filter (${read})`, async () => {
      const dataDir = await keyedByEverything(compacted)
      const report = await buildReport({ dataDir, ...range, filters: { goal: 'Signed Up' } })
      const goals = report.sections.find((s) => s.id === 'goals')!
      expect(goals.html).not.toContain('data-error')
      const pairs = goals.csv!.rows.filter((row) => row[1] !== null).map((row) => [row[1], row[2]])
      expect(pairs).toHaveLength(5)
      for (const [key, value] of pairs) expect(value).toBe(`value ${keys.indexOf(key as string)}`)
      for (const [i, key] of keys.entries()) {
        const filtered = await buildReport({ dataDir, ...range, filters: { property: `${key}=value ${i}` } })
        expect(filtered.events, JSON.stringify(key)).toBe(3)
      }
    })
  }
})
