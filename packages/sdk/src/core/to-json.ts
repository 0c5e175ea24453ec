/**
 * `JSON.stringify`, whatever the page did to arrays. Prototype.js 1.6 (still on old shops and admin pages) defines
 * `Array.prototype.toJSON`, which `JSON.stringify` calls and which returns a string: every array became a string,
 * so a batch's `batch` was one and the collector refused the request (400), losing every event of the page; the
 * unload copy and the cart were stored as strings too. The replacer hands back what the holder has when it is a
 * list (it has `map`), whose elements are then serialized as usual; anything else goes as its own `toJSON` made it
 * (a `Date`). `map` rather than `Array.isArray`, for the tag's
 * bytes: an object that merely has a `map` member serializes the same either way, unless it also has a `toJSON`.
 */
export const toJson = (value: unknown): string =>
  JSON.stringify(value, function (this: Record<string, { map?: unknown }>, key, found) {
    return this[key]?.map ? this[key] : found
  })
