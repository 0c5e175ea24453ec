/**
 * SQL of the page view a line measures, as a 64-bit key (a UBIGINT), what the engagement panel groups and joins its
 * reports by: a page view's own `messageId`; of a `Page Engaged` report, the `page_view_id` it names (its own
 * `messageId` if it names none); NULL for every other line. Over the extracted columns (`prop_page_view_id`).
 *
 * Page view ids are strings of 36 characters, longer than DuckDB keeps inline: at ten million events the panel
 * grouped 2.8 million of them, read, hashed and compared each string, and then matched them to the page views by
 * string again. Computed once per line where the extracted columns are (compaction, or the report's load of lines
 * not compacted), never per query, for the reason the visitor's key is (`sessions.ts`), and by MD5 for the same one:
 * a compacted day's keys meet those of lines a later version loads. Two page views of a range share a key with a
 * chance of about n²/2⁶⁵ (one in 4.7 million for the 2.8 million of a month at ten million events): their reports
 * would be summed as one view's.
 */
export const pageViewKey = `md5_number_upper(CASE WHEN type = 'page' THEN messageId
  WHEN event = 'Page Engaged' THEN coalesce(prop_page_view_id, messageId) END)`
