import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Every `*.ndjson` file under `dir`, recursively. */
export async function ndjsonFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ndjson')).map((e) => join(e.parentPath, e.name))
}

/** The parsed lines of the published files of `DATA/<log>`. */
export async function readLines<T = Record<string, any>>(
  dataDir: string,
  log: 'events' | 'rejected' = 'events',
): Promise<T[]> {
  const lines: T[] = []
  for (const file of (await ndjsonFiles(join(dataDir, log))).sort()) {
    const text = await readFile(file, 'utf8')
    for (const line of text.split('\n')) if (line) lines.push(JSON.parse(line) as T)
  }
  return lines
}
