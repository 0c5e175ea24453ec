import { utf8Length } from '@spoor/protocol'

/**
 * What a request may still write of the copies the collector derives into its lines — a page's fields read from its
 * URL, a visit's campaign on each of its events — in bytes. A request writes at most `limits.writeAmplification`
 * times what it sent; what its lines' copies of the batch context and header facts, and redaction, left of that is
 * this room. Derivation charges every copy to it. A page's own facts stay whatever they cost (the report reads a
 * page's path; they are a few copies of what the event itself sent); the campaign copies are listed, and those that
 * do not fit are taken out again, the latest first (see {@link trimCampaignCopies}), so that one visitor's long
 * campaign cannot ride on every event of thousands. A line without its copy still names its visit, from which the
 * campaign can be found again.
 */
export interface DerivedRoom {
  bytes: number
  /** The campaign copies made, in order, while the room is bounded. */
  copies?: CampaignCopy[]
}

/** A campaign put into a line's context, and what it writes. */
export interface CampaignCopy {
  context: Record<string, unknown>
  field: 'campaign' | 'first_campaign'
  bytes: number
}

/** Takes out the latest campaign copies until the request's derived copies fit its room again. */
export function trimCampaignCopies(room: DerivedRoom): void {
  const copies = room.copies
  if (!copies) return
  for (let i = copies.length - 1; i >= 0 && room.bytes < 0; i--) {
    const copy = copies[i]!
    delete copy.context[copy.field]
    room.bytes += copy.bytes
  }
}

/** What derivation spent of a room that held `atStart`: nothing counted for a room without end. */
export const derivedBytes = (atStart: number, room: DerivedRoom): number =>
  atStart === Number.POSITIVE_INFINITY ? 0 : atStart - room.bytes

/** Room without end, for lines no request's size bounds (events the collector makes itself). */
export const unboundedRoom = (): DerivedRoom => ({ bytes: Number.POSITIVE_INFINITY })

/**
 * Bytes of `text` as a JSON string's contents once serialised: UTF-8, a quote or backslash escaped in two, and a
 * control character taken at its longest escape (`\u0000`, six), so that a URL full of them is not counted small.
 */
export function jsonTextBytes(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x20) bytes += 6
    else if (code === 0x22 || code === 0x5c) bytes += 2
    else if (code < 0x80) bytes += 1
    else if (code < 0x800) bytes += 2
    else if (code >= 0xd800 && code <= 0xdfff) {
      // A pair is one code point of four bytes; a lone half is written escaped.
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4
        i++
      } else bytes += 6
    } else bytes += 3
  }
  return bytes
}

/** Bytes of a value as serialised JSON, for a value of a page field (a string nearly always). */
export const jsonValueBytes = (value: unknown): number =>
  typeof value === 'string' ? jsonTextBytes(value) + 2 : utf8Length(JSON.stringify(value) ?? 'null')
