import type { Section } from '../section.js'
import { carts } from './carts.js'
import { devices } from './devices.js'
import { email } from './email.js'
import { engagement } from './engagement.js'
import { flows } from './flows.js'
import { funnel } from './funnel.js'
import { heatmap } from './heatmap.js'
import { nps } from './nps.js'
import { orders } from './orders.js'
import { overview } from './overview.js'
import { people } from './people.js'
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
  devices,
  email,
  funnel,
  carts,
  orders,
  engagement,
  heatmap,
  vitals,
  nps,
  surveys,
  people,
] as Section[]
