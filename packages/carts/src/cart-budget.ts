/** Limits on what the detector holds per site: input controls how many carts there are, and how large. */
export interface CartLimits {
  /** Carts held per site (default 100,000). */
  carts?: number
  /** Bytes of cart contents (products as JSON) held per site (default 64 MiB). */
  bytes?: number
}

/** What one site holds against its limits. */
interface SiteUse {
  carts: number
  bytes: number
}

/**
 * Accounts the detector's carts per site against {@link CartLimits}. A site past its limits gets no new cart, and
 * no larger contents for the carts it has, until old carts are let go: unique `cart_id`s from one site cannot grow
 * the collector's memory, or take room from other sites, and a replay of the files cannot either.
 */
export function createCartBudget(limits: CartLimits = {}) {
  const maxCarts = limits.carts ?? 100_000
  const maxBytes = limits.bytes ?? 64 * 1024 * 1024
  const sites = new Map<string, SiteUse>()
  let refused = 0
  const use = (writeKey: string) => {
    let site = sites.get(writeKey)
    if (!site) {
      site = { carts: 0, bytes: 0 }
      sites.set(writeKey, site)
    }
    return site
  }
  return {
    /** Takes room for a new cart of the site, its contents to come; false (counted) when it has none. */
    admit(writeKey: string, bytes: number): boolean {
      const site = use(writeKey)
      if (site.carts >= maxCarts || site.bytes + bytes > maxBytes) {
        refused++
        return false
      }
      site.carts++
      return true
    },
    /** Whether a cart's contents may go from `before` to `after` bytes; when true, they are counted. */
    resize(writeKey: string, before: number, after: number): boolean {
      const site = use(writeKey)
      if (after > before && site.bytes - before + after > maxBytes) {
        refused++
        return false
      }
      site.bytes += after - before
      return true
    },
    /** Gives back a cart's room. */
    release(writeKey: string, bytes: number): void {
      const site = use(writeKey)
      site.carts--
      site.bytes -= bytes
      if (site.carts === 0) sites.delete(writeKey)
    },
    /** Carts and bytes held now, across sites, and the carts or contents refused so far. */
    totals: () => {
      let carts = 0
      let bytes = 0
      for (const site of sites.values()) {
        carts += site.carts
        bytes += site.bytes
      }
      return { carts, bytes, refused }
    },
  }
}
