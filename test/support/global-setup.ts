import { buildSnippet } from '../../packages/snippet/build.mjs'
import { chromiumPath } from './chromium.js'

/**
 * The browser tests load the built snippet, as sites do: build it once before they run. Chromium's path is found
 * here once too: the packaged Chromium unpacks itself on first use, and two test files unpacking it at once make
 * one of them fail to launch (ETXTBSY).
 */
export default async function setup(): Promise<void> {
  process.env.CHROME_PATH ??= await chromiumPath()
  await buildSnippet()
}
