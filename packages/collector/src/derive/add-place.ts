import type { Context } from '@spoor/protocol'
import type { Place } from './location-lookup.js'

/**
 * Adds the place of the client's address to `context.location`. A sender's own location is kept as sent: an event
 * that carries one gets only the country, when it names none (a region or city from another source than the
 * sender's could contradict it). `withoutCity` writes the country alone: a country is coarser than the masked
 * address, a city may not be (Global Privacy Control's `minimize`).
 */
export function addPlace(context: Context, place: Place | undefined, withoutCity = false): void {
  if (!place) return
  const location = context.location
  if (location === undefined) {
    const { country, region, city } = place
    context.location = withoutCity ? { country } : { country, ...(region ? { region } : {}), ...(city ? { city } : {}) }
  } else if (typeof location === 'object' && location !== null && !Array.isArray(location)) {
    if (location.country === undefined) context.location = { ...location, country: place.country }
  }
}
