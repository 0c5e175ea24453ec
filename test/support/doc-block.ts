import { readFile } from 'node:fs/promises'

/** The repository's root, where README.md and docs/ live. */
export const repoRoot = new URL('../../', import.meta.url)

/**
 * The code of the fenced block that follows `<!-- MARKER -->` in a markdown file of the repository, as a reader
 * would copy it; throws when the marker or its block is gone, so a test cannot quietly run nothing.
 *
 * @param file - the file, from the repository's root (`README.md`, `docs/ndjson.md`)
 */
export async function docBlock(file: string, marker: string): Promise<string> {
  const markdown = await readFile(new URL(file, repoRoot), 'utf8')
  const block = new RegExp(`<!-- ${marker} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\`\\n`).exec(markdown)
  if (!block) throw new Error(`${file} has no code block marked <!-- ${marker} -->`)
  return block[1]!
}

/** The statements of a block of SQL, without empty or comment-only ones. */
export const sqlStatements = (sql: string): string[] =>
  sql
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--.*$/gm, '').trim())

/** The code of the one fenced block of `markdown` that contains `text`; throws when none or several do. */
export function blockContaining(markdown: string, text: string): string {
  const blocks = [...markdown.matchAll(/```\w*\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .filter((code) => code.includes(text))
  if (blocks.length !== 1) throw new Error(`${blocks.length} code blocks contain ${text}, not one`)
  return blocks[0]!
}
