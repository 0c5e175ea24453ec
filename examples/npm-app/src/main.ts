// What a developer writes: one tracker, the plugins the app wants, typed calls where the app knows things.
import {
  cart,
  clicks,
  createTracker,
  devices,
  engagement,
  identifyField,
  media,
  nps,
  pageviews,
  sessions,
  signOut,
  webVitals,
} from '@spoor/sdk'

const spoor = createTracker({
  writeKey: 'demo-shop-key',
  endpoint: location.origin,
  consent: 'pending', // this app asks first: nothing is stored or sent until the visitor chooses
  plugins: [
    pageviews(),
    sessions(),
    clicks(),
    devices(),
    engagement(),
    media(),
    cart({ currency: 'EUR' }),
    identifyField(),
    webVitals(),
  ],
})

const $ = (selector: string) => document.querySelector<HTMLElement>(selector)!

$('#accept').onclick = () => spoor.consent({ analytics: true })
$('#decline').onclick = () => spoor.consent({ analytics: false })
$('#sign-in').onclick = () => {
  spoor.identify('u-42', { email: 'ada@example.com', plan: 'pro' })
  spoor.track('Signed In', { method: 'password' })
}
$('#sign-out').onclick = () => signOut(spoor)
$('#add').onclick = () =>
  spoor.track('Product Added', { product_id: 'tea-01', name: 'Sencha green tea', price: 12.5, quantity: 1 })
$('#order').onclick = () => spoor.track('Order Completed', { order_id: 'order-' + Date.now().toString(36) })
$('#nps').onclick = () => nps(spoor, 9, 'Lovely tea')
// A route change in a single-page app: the pageviews plugin sees it by itself.
$('#route').onclick = () => history.pushState({}, '', '/npm-app/settings')
