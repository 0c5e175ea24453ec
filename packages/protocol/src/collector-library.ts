/**
 * The `context.library.name` of the events the collector derives itself (abandoned and recovered carts). Reports
 * tell those from a visitor's activity by it, so no sender may use it: an event that names it is refused (see
 * {@link claimsCollectorLibrary}), never written as one of the collector's own decisions.
 */
export const collectorLibrary = 'spoor-collector'

/** Whether a context names the collector as its library, as only the collector's own lines may. */
export const claimsCollectorLibrary = (context: unknown): boolean =>
  (context as { library?: { name?: unknown } } | undefined)?.library?.name === collectorLibrary

/** The reason an event that {@link claimsCollectorLibrary} is refused with. */
export const collectorLibraryReason = `context.library.name "${collectorLibrary}" is reserved for the events the collector derives itself`
