/**
 * SQL of the number of identified people (column `n`): per visitor, the person their user id names, else the email
 * an identify gave (the checkout field's `identify(null, {email})` names a person as surely as a user id does).
 */
export const identifiedSql = `
  SELECT count(DISTINCT person) AS n FROM (
    SELECT visitor, coalesce(max(userId), max(lower(coalesce(traits_email, ctx_traits_email)))) AS person
    FROM events
    -- A visitor named by no row is no person: only the rows that name one are grouped, not every row of the range.
    WHERE NOT derived AND (userId IS NOT NULL OR traits_email IS NOT NULL OR ctx_traits_email IS NOT NULL)
    GROUP BY visitor
  ) WHERE person IS NOT NULL`
