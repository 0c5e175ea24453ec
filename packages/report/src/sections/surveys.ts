import { barList } from '../charts/bar-list.js'
import { hints } from '../hints.js'
import { fmtInt, fmtPct, plural, share, shownLabel } from '../html.js'
import { defineSection } from '../section.js'

interface Answer {
  survey: string
  question: string
  answer: string
  n: number
  total: number
}

/** Survey answers: per survey and question, the most given answers (a list answer counts each of its items). */
export const surveys = defineSection({
  id: 'surveys',
  kind: 'attitudinal',
  title: 'Survey answers',
  subtitle: 'The most given answers to each question',
  hint: hints.feedback,
  async load({ db }) {
    // Each question comes with its answer from json_each, not through a JSON path built from its name: a sender names
    // the questions, and a path misreads some names (a trailing backslash escapes its closing quote, an empty name
    // makes no path), which failed the whole section over one answer.
    const rows = await db.all<Answer>(
      `WITH s AS (
         SELECT (properties->>'$.survey_id') AS survey, (properties->'$.answers') AS answers FROM events
         WHERE event = 'Survey Responded' AND json_type(properties->'$.answers') = 'OBJECT'
       ),
       v AS (SELECT survey, pair.key AS question, pair.value AS value FROM s, json_each(s.answers) pair),
       a AS (
         SELECT survey, question, (value->>'$') AS answer FROM v WHERE json_type(value) <> 'ARRAY'
         UNION ALL
         SELECT survey, question, unnest(from_json(value, '["VARCHAR"]')) FROM v WHERE json_type(value) = 'ARRAY'
       ),
       counted AS (
         SELECT survey, question, answer, count(*) AS n, sum(count(*)) OVER (PARTITION BY survey, question) AS total,
                row_number() OVER (PARTITION BY survey, question ORDER BY count(*) DESC, answer) AS rank
         FROM a WHERE answer IS NOT NULL GROUP BY survey, question, answer
       )
       SELECT survey, question, answer, n, total FROM counted WHERE rank <= 4 ORDER BY survey, question, n DESC, answer`,
    )
    const groups = new Map<string, Answer[]>()
    for (const row of rows) {
      const key = `${row.survey}\n${row.question}`
      groups.set(key, [...(groups.get(key) ?? []), row])
    }
    return [...groups.values()].slice(0, 4)
  },
  filled: (groups) => groups.length > 0,
  render: (groups) =>
    `<div class="questions">${groups
      .map((answers) => {
        const { survey, question, total } = answers[0]!
        return `<div class="question"><h3>${shownLabel(question)}<small>${shownLabel(survey)} · ${plural(total, 'answer')}</small></h3>${barList(
          answers.map((a) => ({
            label: a.answer,
            value: a.n,
            shown: `${fmtInt(a.n)} · ${fmtPct(share(a.n, a.total))}`,
            metric: `survey:${a.survey}:${a.question}:${a.answer}`,
          })),
          'var(--violet)',
        )}</div>`
      })
      .join('')}</div>`,
  csv: (groups) => ({
    header: ['survey', 'question', 'answer', 'answers', 'total'],
    rows: groups.flat().map((a) => [a.survey, a.question, a.answer, a.n, a.total]),
  }),
})
