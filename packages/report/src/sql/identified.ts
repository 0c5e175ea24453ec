/**
 * SQL of the number of identified people (column `n`): per visitor, the person their user id names, else the email
 * an identify gave (the checkout field's `identify(null, {email})` names a person as surely as a user id does).
 */
export const identifiedSql = `
  SELECT count(DISTINCT person) AS n FROM (
    SELECT visitor, coalesce(max(userId), max(lower(coalesce(traits_email, ctx_traits_email)))) AS person
    FROM events WHERE NOT derived GROUP BY visitor
  ) WHERE person IS NOT NULL`
