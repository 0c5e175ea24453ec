import { readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import ts from 'typescript'
import { builds, esbuildOptions } from '../../packages/snippet/build.mjs'

const root = fileURLToPath(new URL('../../', import.meta.url))
/** Where the contracts are declared and implemented: a plain name declared anywhere else is someone else's. */
const ours = ['packages/sdk/src/', 'packages/snippet/src/'].map((folder) => join(root, folder))
const isOurs = (file: string) => ours.some((folder) => resolve(file).startsWith(folder))

/** The declarations a property name at `node` stands for, or undefined when the compiler cannot tell. */
function declarationsOf(checker: ts.TypeChecker, node: ts.Identifier): readonly ts.Declaration[] | undefined {
  const parent = node.parent
  // A union (`T | undefined`) or a promise (what an async method returns) is searched through.
  const member = (type: ts.Type | undefined) => {
    const types = (type?.isUnion() ? type.types : type ? [type] : []).flatMap((t) => [t, checker.getAwaitedType(t)])
    const found = types.flatMap((t) => (t && checker.getPropertyOfType(t, node.text)?.declarations) || [])
    return found.length ? found : undefined
  }
  // An object literal's key belongs to the type the literal is written for (an options object of the DOM, a
  // Store, an event's properties), not to the literal itself.
  if (
    (ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent) || ts.isMethodDeclaration(parent)) &&
    parent.name === node &&
    ts.isObjectLiteralExpression(parent.parent)
  )
    return member(checker.getContextualType(parent.parent))
  if (ts.isBindingElement(parent) && (parent.propertyName ?? parent.name) === node && !parent.dotDotDotToken)
    return member(checker.getTypeAtLocation(parent.parent))
  if (ts.isPropertyAccessExpression(parent) && parent.name === node)
    return checker.getSymbolAtLocation(node)?.declarations
  // A class's properties are in the code; an interface's are not, only the uses of them above.
  if ((ts.isPropertyDeclaration(parent) || ts.isParameter(parent)) && parent.name === node) return [parent]
  return []
}

/**
 * Every place in the script tags' code where one of `names` is a property of something that is not an SDK contract:
 * a DOM or builtin member, a wire key, a key of untyped data, or any mention in a bundled package. Shortening such a
 * name would break that code, so the list must come back empty for the names the snippet build mangles.
 */
export async function mangleCollisions(names: readonly string[]): Promise<string[]> {
  const wanted = new Set(names)
  const found: string[] = []
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'))
      },
    },
  )!
  // The files whose code is in a tag (a module loaded only for its types, or tree-shaken away, is not).
  const inputs = new Set<string>()
  for (const { entry, full } of builds) {
    const { metafile } = await build({
      ...esbuildOptions(entry, full),
      write: false,
      metafile: true,
      logLevel: 'silent',
    })
    for (const output of Object.values(metafile.outputs))
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs))
        if (bytesInOutput) inputs.add(resolve(input))
  }
  const entries = [...new Set(builds.map(({ entry }) => join(root, 'packages/snippet/src', entry)))]
  const program = ts.createProgram(entries, config.options)
  const checker = program.getTypeChecker()
  for (const file of program.getSourceFiles()) {
    // The bundled packages are searched below, in the JavaScript esbuild reads.
    if (!inputs.has(resolve(file.fileName)) || file.fileName.includes('/node_modules/')) continue
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && wanted.has(node.text)) {
        const declarations = declarationsOf(checker, node)
        const where = `${relative(root, file.fileName)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`
        if (!declarations) found.push(`${where} ${node.text}: a property of untyped data`)
        else
          for (const d of declarations.filter((d) => !isOurs(d.getSourceFile().fileName)))
            found.push(`${where} ${node.text}: declared by ${relative(root, d.getSourceFile().fileName)}`)
      }
      ts.forEachChild(node, visit)
    }
    visit(file)
  }
  // The bundled packages' own property names are shortened with ours: any use of a listed name as a property there
  // (`.name`, `name:`, `{ name }`, `name(`) is a collision, whether or not it meets one of ours.
  for (const input of [...inputs].filter((input) => input.includes('/node_modules/'))) {
    const code = readFileSync(input, 'utf8')
    for (const name of names)
      if (new RegExp(`\\.${name}\\b|\\b${name}\\s*[:(]|[{,]\\s*${name}\\s*[,}]`).test(code))
        found.push(`${relative(root, input)} ${name}: a property of a bundled package`)
  }
  return found
}
