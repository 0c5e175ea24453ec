import type { Browser, Page } from 'playwright-core'

/** A page in a fresh browser context: its own localStorage and IndexedDB, as a new visitor has. */
export async function freshPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage()
}

/** The events waiting in the page's IndexedDB queue (`spoor:e2e-key`), or null when there is no such database. */
export function queuedInPage(page: Page): Promise<{ event: { event?: string; type: string } }[] | null> {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name)
    if (!names.includes('spoor:e2e-key')) return null
    return new Promise((resolve, reject) => {
      const open = indexedDB.open('spoor:e2e-key')
      open.onsuccess = () => {
        const request = open.result.transaction('queue').objectStore('queue').getAll()
        request.onsuccess = () => {
          open.result.close()
          resolve(request.result)
        }
        request.onerror = () => reject(request.error)
      }
    })
  })
}

/** The spoor keys in the page's localStorage. */
export function spoorKeys(page: Page): Promise<string[]> {
  return page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('spoor.')))
}
