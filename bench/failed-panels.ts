/**
 * The panels of a report page that could not be computed (a query that failed, DuckDB out of its memory say): the
 * page still answers, each such panel saying why, so a timing of the page alone would count a view that skipped
 * their work.
 */
export function failedPanels(html: string): string[] {
  return html
    .split('<section')
    .filter((part) => /data-error/.test(part.split('</section>')[0]!))
    .map((part) => /data-section="([^"]+)"/.exec(part)?.[1] ?? '?')
}
