import { ConfigError, type SiteConfig } from '@spoor/protocol'

// Bounded: each is a count over the period's page views. A LIKE pattern's work grows fast with its wildcards
// (DuckDB took 1.5 s over ten paths with six, 54 s with eight): a goal has three at most.
const mostGoals = 50
const longest = 200
const mostWildcards = 3

/** What a page goal's name starts with, before its pattern: `Visit /thank-you`, as Plausible names them. */
export const pageGoalPrefix = 'Visit '

/** The name a page goal goes by in the goals panel and its filter (`goal=Visit /thank-you`). */
export const pageGoalName = (pattern: string) => `${pageGoalPrefix}${pattern}`

/** The pattern of a goal's name, when it names a page goal (see {@link pageGoalName}). */
export const pageGoalPattern = (name: string): string | undefined =>
  name.startsWith(`${pageGoalPrefix}/`) ? name.slice(pageGoalPrefix.length) : undefined

/**
 * SQL of whether the path `path` matches a page goal's pattern `pattern` (both SQL): the pattern's `*` stands for
 * any run of characters, `/blog/*` every page under /blog/; nothing else in it is special.
 */
export const matchesPageGoal = (path: string, pattern: string) =>
  `${path} LIKE replace(replace(replace(replace(${pattern}, '\\', '\\\\'), '%', '\\%'), '_', '\\_'), '*', '%') ESCAPE '\\'`

/**
 * The page goals of a site's config (`sites[].goals`: `[{"page": "/thank-you"}, {"page": "/blog/*"}]`), checked:
 * up to 50 paths starting with `/`, each up to 200 characters. A site's custom events are goals without being
 * listed; a page is one only when named here.
 *
 * @param at - where the site sits in the config (`sites[0]`), for the messages
 * @throws {ConfigError} naming the first goal that cannot be read, and the form to write
 */
export function sitePageGoals(site: SiteConfig, at = 'site'): string[] {
  const { goals } = site
  if (goals === undefined) return []
  const example = '[{"page": "/thank-you"}, {"page": "/blog/*"}]'
  if (!Array.isArray(goals)) throw new ConfigError(`${at}.goals: must be a list of pages like ${example}`)
  if (goals.length > mostGoals) {
    throw new ConfigError(`${at}.goals: ${goals.length} goals: a site may have ${mostGoals} at most`)
  }
  return goals.map((goal, i) => {
    const page = typeof goal === 'object' && goal !== null && Object.keys(goal).length === 1 ? goal.page : undefined
    if (typeof page !== 'string' || !page.startsWith('/') || page.length > longest) {
      throw new ConfigError(
        `${at}.goals[${i}]: must be {"page": "/path"}, a path of up to ${longest} characters (* for any part)`,
      )
    }
    // `**` is `*`: a run of them matches what one does.
    const pattern = page.replace(/\*+/g, '*')
    if (pattern.split('*').length - 1 > mostWildcards) {
      throw new ConfigError(`${at}.goals[${i}]: "${page}" has more than ${mostWildcards} *`)
    }
    return pattern
  })
}
