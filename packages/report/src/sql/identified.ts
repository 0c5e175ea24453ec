/** SQL of each name the range's visits carry (`p`: `{visitor, user, email}`), one row each. */
export const namedPeople = '(SELECT unnest(people) AS p FROM visits WHERE people IS NOT NULL)'

/**
 * SQL of the number of identified people (column `n`): per visitor, the person their user id names, else the email
 * an identify gave (the checkout field's `identify(null, {email})` names a person as surely as a user id does).
 * Only visitors who viewed a page count, as the headline's visitors do, whose share they are ("4 of 7 visitors"):
 * a person a backend alone names (an identify from a server library, an order by API) is no visitor of the site,
 * and counted, it made more people identified than visitors.
 *
 * Over the visits' `people` (`sql/visits.ts`): who each visit's lines name, per visitor (at ten million events, one
 * visit in nine names someone). Grouped from the lines, every line of the range was read for its user id and
 * emails: 0.36-0.45 s a view at that size, where this takes 0.1 s (the summaries read, the 86,000 people grouped).
 */
export const identifiedSql = `
  SELECT count(DISTINCT person) AS n FROM (
    SELECT p.visitor, coalesce(max(p.user), max(p.email)) AS person
    FROM ${namedPeople}
    GROUP BY p.visitor
  ) WHERE person IS NOT NULL AND visitor IN (SELECT visitor FROM visits WHERE views > 0)`
