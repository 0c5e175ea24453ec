import { linkClicksSection } from './link-clicks-section.js'

/** Where people leave to: clicks on links to other sites, by destination. */
export const outboundLinks = linkClicksSection({
  id: 'outbound-links',
  kind: 'interaction',
  title: 'Outbound links',
  subtitle: 'Clicks on links to other sites, by destination (query left out)',
  flag: 'outbound',
  column: 'link',
  colour: 'var(--teal)',
})
