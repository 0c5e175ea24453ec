import { buildSnippet } from '../../packages/snippet/build.mjs'

/** The browser tests load the built snippet, as sites do: build it once before they run. */
export default async function setup(): Promise<void> {
  await buildSnippet()
}
