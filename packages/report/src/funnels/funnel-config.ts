import { ConfigError, type SiteConfig } from '@spoor/protocol'

/** A funnel's step: a page viewed (its path) or a custom event sent (its name). */
export type FunnelStep = { page: string } | { event: string }

/** A funnel a site defines in its config: its name and its steps, in order. */
export interface Funnel {
  name: string
  steps: FunnelStep[]
}

/** The funnels a view shows (the dashboard one, a file report all), and the names of all the site defines. */
export interface ShownFunnels {
  shown: Funnel[]
  names: string[]
}

// As Plausible's: two steps at least, eight at most. Bounded so a config cannot make a view's query grow without end.
const fewestSteps = 2
const mostSteps = 8
const mostFunnels = 20
const longest = 200

const example = '{"name": "Sign-up", "steps": [{"page": "/pricing"}, {"event": "Signed Up"}]}'

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const text = (value: unknown) => typeof value === 'string' && value.length > 0 && value.length <= longest

/**
 * The funnels of a site's config (`sites[].funnels`), checked: a list of up to 20 funnels, each a name (unique, up
 * to 200 characters) and 2 to 8 steps, each `{"page": "/path"}` or `{"event": "Name"}`. None when the site has none.
 *
 * @param at - where the site sits in the config (`sites[0]`), for the messages
 * @throws {ConfigError} naming the first funnel or step that cannot be read, and the form to write
 */
export function siteFunnels(site: SiteConfig, at = 'site'): Funnel[] {
  const { funnels } = site
  if (funnels === undefined) return []
  const fail = (where: string, message: string): never => {
    throw new ConfigError(`${at}.funnels${where}: ${message}`)
  }
  if (!Array.isArray(funnels)) return fail('', `must be a list of funnels like [${example}]`)
  if (funnels.length > mostFunnels) fail('', `${funnels.length} funnels: a site may have ${mostFunnels} at most`)
  const names = new Set<string>()
  return funnels.map((funnel, i): Funnel => {
    if (!isObject(funnel)) return fail(`[${i}]`, `must be an object like ${example}`)
    const { name, steps, ...rest } = funnel
    const unknown = Object.keys(rest)[0]
    if (unknown !== undefined) fail(`[${i}]`, `unknown key "${unknown}"; known: name, steps`)
    if (!text(name)) fail(`[${i}].name`, `must be a text of 1 to ${longest} characters`)
    if (names.has(name as string)) fail(`[${i}].name`, `"${name}" names two funnels`)
    names.add(name as string)
    if (!Array.isArray(steps) || steps.length < fewestSteps || steps.length > mostSteps) {
      fail(`[${i}].steps`, `must be a list of ${fewestSteps} to ${mostSteps} steps, like ${example}`)
    }
    const read = (steps as unknown[]).map((step, j): FunnelStep => {
      const where = `[${i}].steps[${j}]`
      const keys = isObject(step) ? Object.keys(step) : []
      if (!isObject(step) || keys.length !== 1 || !(keys[0] === 'page' || keys[0] === 'event')) {
        return fail(where, 'must be {"page": "/path"} or {"event": "Event Name"}')
      }
      const value = step[keys[0]]
      if (!text(value)) return fail(where, `${keys[0]} must be a text of 1 to ${longest} characters`)
      if (keys[0] === 'page') {
        if (!(value as string).startsWith('/')) fail(where, `a page is a path starting with "/", as "/pricing"`)
        return { page: value as string }
      }
      return { event: value as string }
    })
    return { name: name as string, steps: read }
  })
}

/**
 * The funnel a view shows of a site's, `name`'s or else the first, beside the names of all (which the panel links);
 * none when the site has none, and why when it has none of that name.
 */
export function shownFunnel(funnels: Funnel[], name: string | undefined): ShownFunnels | { error: string } | undefined {
  const names = funnels.map((funnel) => funnel.name)
  const shown = name === undefined ? funnels[0] : funnels.find((funnel) => funnel.name === name)
  if (shown) return { shown: [shown], names }
  if (name === undefined) return undefined
  return {
    error: `funnel "${name}" is not ${names.length ? `one of ${names.join(', ')}` : 'defined: this site has no funnels in the config'}`,
  }
}
