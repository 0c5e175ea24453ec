/** Limits on what the detector holds per site: input controls how many carts there are, and how large. */
export interface CartLimits {
  /** Carts held per site (default 100,000). */
  carts?: number
  /** Bytes of cart contents (products as JSON) held per site (default 64 MiB). */
  bytes?: number
}

/** The contents (products as JSON) a cart of a shared room may hold, on average: three products take about 200. */
export const contentBytesPerCart = 512

/**
 * Carts a long-running collector's detector holds at once, across its sites (`spoor serve --max-carts`): enough
 * for a shop with a few thousand carts a day, and about 12 MB of the collector's memory when full (each 1,000 carts
 * take about 2.5 MB resident, as `npm run bench -- overload` shows filling it). A site past its share is told in
 * the log; `spoor carts` and the report decide its carts from the files all the same.
 */
export const defaultCollectorCarts = 5_000

/**
 * A long-running process's room for `carts` carts, shared equally by its `sites` sites (as the collector's
 * messageIds are): each site gets its share of carts, and of contents at {@link contentBytesPerCart} a cart. The
 * detector's memory is then bounded by the process's room, however many sites it serves.
 */
export function sharedCartRoom(carts: number, sites: number): Required<CartLimits> {
  const share = Math.max(1, Math.floor(carts / Math.max(1, sites)))
  return { carts: share, bytes: share * contentBytesPerCart }
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
