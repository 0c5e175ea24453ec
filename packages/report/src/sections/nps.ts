import { hints } from '../hints.js'
import { esc, fmtPct, plural, share } from '../html.js'
import { plainLabel } from '../label.js'
import { defineSection } from '../section.js'

// A comment is a person's words, longer than a label may be, but a sender's 4 MB of them is no comment.
const commentChars = 1000

interface Nps {
  distribution: number[]
  responses: number
  promoters: number
  detractors: number
  comments: { score: number; comment: string }[]
}

/**
 * Net Promoter Score: % promoters (9–10) − % detractors (0–6), one answer per person (their latest), with the
 * distribution of scores and the latest comments.
 */
export const nps = defineSection({
  id: 'nps',
  kind: 'attitudinal',
  title: 'Net Promoter Score',
  subtitle: '“How likely are you to recommend us?” — promoters 9–10, detractors 0–6',
  hint: hints.feedback,
  async load({ db }) {
    await db.run(
      `CREATE OR REPLACE TABLE nps AS
       SELECT arg_max(try_cast(jnum(properties, '$.score') AS INTEGER), timestamp) AS score,
              arg_max(properties->>'$.comment', timestamp) AS comment, max(timestamp) AS answered
       FROM events WHERE event = 'NPS Submitted' AND jnum(properties, '$.score') BETWEEN 0 AND 10
       GROUP BY coalesce(userId, visitor)`,
    )
    const rows = await db.all<{ score: number; n: number }>(`SELECT score, count(*) AS n FROM nps GROUP BY score`)
    const distribution = Array.from({ length: 11 }, (_, score) => rows.find((r) => r.score === score)?.n ?? 0)
    const comments = await db.all<{ score: number; comment: string }>(
      `SELECT score, comment FROM nps WHERE coalesce(trim(comment), '') <> '' ORDER BY answered DESC, comment, score LIMIT 3`,
    )
    const sum = (from: number, to: number) => distribution.slice(from, to + 1).reduce((a, b) => a + b, 0)
    return { distribution, responses: sum(0, 10), promoters: sum(9, 10), detractors: sum(0, 6), comments } satisfies Nps
  },
  filled: (d) => d.responses > 0,
  render: (d) => {
    const score = Math.round((share(d.promoters, d.responses) - share(d.detractors, d.responses)) * 100)
    const max = Math.max(1, ...d.distribution)
    const tone = (s: number) => (s >= 9 ? 'good' : s >= 7 ? 'ni' : 'poor')
    return `<div class="nps">
<div class="nps-score ${score >= 30 ? 'good' : score >= 0 ? 'ni' : 'poor'}"><span data-metric="nps" data-value="${score}">${score > 0 ? '+' : ''}${score}</span><small>${plural(d.responses, 'response')}</small></div>
<div class="nps-bars">${d.distribution
      .map(
        (n, s) =>
          `<div class="nps-col"><span class="n">${n || ''}</span><span class="bar ${tone(s)}" style="height:${((n / max) * 100).toFixed(1)}%" data-metric="nps-score:${s}" data-value="${n}"></span><span class="s">${s}</span></div>`,
      )
      .join('')}</div>
</div>
<div class="nps-legend"><span class="poor">${fmtPct(share(d.detractors, d.responses))} detractors</span><span class="ni">${fmtPct(share(d.responses - d.promoters - d.detractors, d.responses))} passives</span><span class="good">${fmtPct(share(d.promoters, d.responses))} promoters</span></div>
${d.comments.map((c) => `<blockquote><b class="${tone(c.score)}">${c.score}</b> ${esc(plainLabel(c.comment, commentChars))}</blockquote>`).join('')}`
  },
  csv: (d) => ({
    header: ['score', 'responses'],
    rows: d.distribution.map((n, score) => [score, n]),
  }),
})
