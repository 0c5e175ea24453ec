import type { Section } from '../section.js'
import { carts } from './carts.js'
import { devices } from './devices.js'
import { downloads } from './downloads.js'
import { email } from './email.js'
import { engagement } from './engagement.js'
import { flows } from './flows.js'
import { funnel } from './funnel.js'
import { goals } from './goals.js'
import { heatmap } from './heatmap.js'
import { nps } from './nps.js'
import { orders } from './orders.js'
import { outboundLinks } from './outbound-links.js'
import { overview } from './overview.js'
import { people } from './people.js'
import { siteFunnel } from './site-funnel.js'
import { sources } from './sources.js'
import { surveys } from './surveys.js'
import { topPages } from './top-pages.js'
import { traffic } from './traffic.js'
import { vitals } from './vitals.js'

/** Every section of the report, in page order within its kind. */
export const sections = [
  overview,
  traffic,
  topPages,
  flows,
  sources,
  outboundLinks,
  devices,
  email,
  goals,
  siteFunnel,
  funnel,
  carts,
  orders,
  engagement,
  heatmap,
  downloads,
  vitals,
  nps,
  surveys,
  people,
] as Section[]
