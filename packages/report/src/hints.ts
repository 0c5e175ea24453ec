/**
 * What a site owner does to fill an empty section, one sentence each, shared by the sections it fills so the page
 * says it once.
 */
export const hints = {
  tag: 'Add the spoor tag to your pages to count visits, pages and where visitors come from.',
  fullTag: 'Use the full tag (spoor.full.js) to see time on page, scroll depth and page speed.',
  goals:
    'Mark buttons and links with data-spoor-event="Signed up" (or call spoor("track", "Signed up")) to count goals and conversions.',
  clicks: 'Clicks are counted by the tag as people click: links to other sites, files and the click map fill in then.',
  shop: 'Send the shop events (Product Viewed, Product Added, Checkout Started, Order Completed) to see the funnel, carts and orders.',
  // Apart from the other shop panels: a shop that sends its product and cart events but no orders yet, or whose
  // carts all ended in orders, was told to send the events it sends.
  carts:
    'Carts show once a visitor adds a product (Product Added) and leaves without an order for the cart window (an hour by default).',
  orders:
    'Send Order Completed (with order_id, revenue and products) when an order is placed to see orders and revenue.',
  funnels:
    'Name the steps of a funnel (pages viewed, events sent) under "funnels" in your site’s config to see where visits drop out on the dashboard.',
  email: 'Send your newsletters through spoor email instrument to count opens and clicks.',
  feedback: 'Ask visitors for a score or an answer with the full tag’s NPS prompt or a survey.',
  people:
    'Mark your sign-up or checkout email field with data-spoor-identify (full tag), or call spoor("identify", id, { email }), to know who your visitors are.',
} as const
