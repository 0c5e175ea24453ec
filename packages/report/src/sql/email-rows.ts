import { sqlList } from '../compaction/sql.js'

/** The events spoor's email routes record: a pixel's open and a signed link's click. */
export const emailEventNames = ['Email Opened', 'Email Link Clicked']

/** Whether a row carries an email click's id: the visit it began landed with it. */
export const clickIdCarried = `(ctx_campaign_spoor_c IS NOT NULL
  OR contains(coalesce(ctx_page_search, ''), 'spoor_c=') OR contains(coalesce(ctx_page_url, ''), 'spoor_c='))`

/**
 * The rows the email section reads whole (`campaignStats` takes lines): the opens and clicks, the orders, and the
 * page views that landed with a click id. Only these keep their `context` in the report's table: every other panel
 * reads the fields it needs from the extracted columns.
 */
export const emailRows = `(coalesce(event, '') IN (${sqlList([...emailEventNames, 'Order Completed'])})
  OR ${clickIdCarried})`
