import { esc, htmlDocument } from './html.js'
import { styles } from './styles.js'

/**
 * The page a browser gets for a view the dashboard cannot show (dates reversed, a funnel renamed since the link was
 * saved, a period misspelt): what is wrong, and a way back to a view that works. A script asking for the same gets
 * JSON; a person got that JSON as a bare page, with no toolbar and no link, and only the Back button.
 *
 * @param home - the dashboard's default view for the site asked for, which always answers
 */
export function dashboardErrorPage(error: string, home: string): string {
  const body = `<header class="top"><h1>This view cannot be shown</h1></header>
<main><section class="card" id="error" role="alert"><p>${esc(error)}.</p>
<p><a href="${esc(home)}">Open the last 30 days instead</a></p></section></main>`
  return htmlDocument('View not shown · spoor report', styles, body)
}
