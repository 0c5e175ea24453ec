import { linkClicksSection } from './link-clicks-section.js'

/** Which files people download: clicks on file links (a `download` attribute or a file extension), by file. */
export const downloads = linkClicksSection({
  id: 'downloads',
  kind: 'behavioral',
  title: 'File downloads',
  subtitle: 'Clicks on links to files, by file',
  flag: 'download',
  column: 'file',
  colour: 'var(--amber)',
})
