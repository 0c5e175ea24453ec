import type { JsonObject } from '@spoor/protocol'

/**
 * The properties an element declares for no-code tracking: each `data-spoor-prop-product-id="pot-01"` becomes
 * `product_id: "pot-01"` (snake_case, as in the Segment spec). Values stay strings.
 */
export function propsOf(element: Element): JsonObject {
  const props: JsonObject = {}
  for (const { name, value } of element.attributes) {
    if (name.startsWith('data-spoor-prop-')) props[name.slice(16).replace(/-/g, '_')] = value
  }
  return props
}
