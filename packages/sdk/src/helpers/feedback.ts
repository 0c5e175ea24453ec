import type { JsonObject } from '@spoor/protocol'
import type { PluginHost, Tracker } from '../core/tracker.js'

const check = (ok: unknown, message: string) => {
  if (!ok) throw new RangeError('spoor: ' + message)
}

/**
 * Records `NPS Submitted` {score, comment?}, and remembers that this visitor answered, so the NPS prompt never
 * shows again. Throws a RangeError unless `score` is an integer from 0 to 10.
 *
 * @example
 * nps(spoor, 9, 'Fast delivery')   // snippet: spoor('nps', 9, 'Fast delivery')
 */
export function nps(tracker: Tracker, score: number, comment?: string): void {
  check(Number.isInteger(score) && score >= 0 && score <= 10, `an NPS score is an integer from 0 to 10, not ${score}`)
  // An empty comment is none (undefined fields are not sent).
  tracker.track('NPS Submitted', { score, comment: comment || undefined })
  ;(tracker as PluginHost).storage._set('spoor.nps', 'answered')
}

/**
 * Records `Survey Responded` {survey_id, answers: {question_id: answer}}. Throws a RangeError without an id or
 * an object of answers.
 *
 * @example
 * survey(spoor, 'onboarding', { role: 'developer', team_size: 5 })
 */
export function survey(tracker: Tracker, surveyId: string, answers: JsonObject): void {
  check(
    surveyId && typeof surveyId === 'string' && answers && typeof answers === 'object',
    'a survey response needs a survey id and an object of answers',
  )
  tracker.track('Survey Responded', { survey_id: surveyId, answers })
}

/**
 * Records `Product Reviewed` {product_id, rating, review_body?}. Throws a RangeError without a product id or
 * unless `rating` is a number from 0 to 5.
 *
 * @example
 * review(spoor, 'pot-01', 5, 'Keeps tea hot')
 */
export function review(tracker: Tracker, productId: string, rating: number, body?: string): void {
  check(
    productId && typeof rating === 'number' && rating >= 0 && rating <= 5,
    `a review needs a product id and a rating from 0 to 5, not ${rating}`,
  )
  tracker.track('Product Reviewed', { product_id: productId, rating, review_body: body || undefined })
}
