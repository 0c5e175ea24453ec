// Writes packages/report/src/charts/world-shapes.ts: each country's outline as an SVG path, for the devices panel's
// map. The shapes are Natural Earth's 1:110m countries (public domain), as world-atlas packs them (TopoJSON), drawn
// in the Natural Earth projection, Antarctica left out. Run: node --import tsx scripts/world-shapes.ts
// (the test world-shapes.test.ts checks that the file is what this makes).
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import countries from 'i18n-iso-countries'
// @ts-expect-error: topojson-client ships no types; `feature` turns a TopoJSON object into GeoJSON.
import { feature } from 'topojson-client'

const require = createRequire(import.meta.url)
const output = new URL('../packages/report/src/charts/world-shapes.ts', import.meta.url)

/** The map's width in SVG units: coordinates are whole units, which 1:110m shapes do not need finer. */
const width = 1000
// Natural Earth files a few places under no ISO number: Kosovo has a code of its own (XK, as the location
// datasets write it); Northern Cyprus and Somaliland are drawn as the states whose codes the datasets give them.
const byName: Record<string, string> = { Kosovo: 'XK', 'N. Cyprus': 'CY', Somaliland: 'SO' }
// Parts of a country that the location datasets give codes of their own: France's polygon in South America is
// French Guiana (GF), Norway's north of 73° is Svalbard (SJ); their visitors shade them, not Paris or Oslo.
const partsApart: Record<string, (polygon: number[][][]) => string | undefined> = {
  FR: (polygon) => (polygon[0]!.every(([lon]) => lon! < -30) ? 'GF' : undefined),
  NO: (polygon) => (polygon[0]!.every(([, lat]) => lat! > 73) ? 'SJ' : undefined),
}

/** The Natural Earth projection (Šavrič, Jenny, Patterson, Petrovič, Hurni 2011): longitude, latitude in degrees. */
function project(lon: number, lat: number): [number, number] {
  const phi = (lat * Math.PI) / 180
  const p2 = phi * phi
  const p4 = p2 * p2
  const x = ((lon * Math.PI) / 180) * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)))
  const y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
  return [x, y]
}

/**
 * A ring that crosses the 180th meridian (Russia's Chukotka, Fiji) jumps from one edge of the map to the other:
 * drawn as it is, it would cross the whole map. Its points on the side with fewer of them are moved a turn over,
 * so that it stays whole past the edge, where the map's frame cuts it.
 */
function unwrapped(ring: number[][]): number[][] {
  if (!ring.some((point, i) => i > 0 && Math.abs(point[0]! - ring[i - 1]![0]!) > 180)) return ring
  const east = ring.filter(([lon]) => lon! > 0).length
  const shift = east * 2 >= ring.length ? 360 : -360
  return ring.map(([lon, lat]) => [(shift > 0 ? lon! < 0 : lon! > 0) ? lon! + shift : lon!, lat!])
}

interface Feature {
  id?: string
  properties: { name: string }
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] }
}

const [maxX] = project(180, 0)
const [, top] = project(0, 90)
const scale = width / (2 * maxX)
// The south is cut below 60° S: only Antarctica lies there.
const height = Math.round((top - project(0, -60)[1]) * scale)

/** A polygon (its outer ring, then its holes) as SVG path data, in whole units of the map. */
function polygonPath(polygon: number[][][]): string {
  let path = ''
  for (const ring of polygon.map(unwrapped)) {
    // Absolute first point, then each move relative to the one before; repeated points dropped.
    let last: [number, number] | undefined
    const moves: string[] = []
    for (const [lon, lat] of ring) {
      const [x, y] = project(lon!, lat!)
      const point: [number, number] = [Math.round((x + maxX) * scale), Math.round((top - y) * scale)]
      if (last && point[0] === last[0] && point[1] === last[1]) continue
      moves.push(last ? `${point[0] - last[0]} ${point[1] - last[1]}` : `M${point[0]} ${point[1]}`)
      last = point
    }
    if (moves.length > 2) path += `${moves[0]}l${moves.slice(1).join(' ')}z`
  }
  return path
}

/** The generated module's text. */
export function worldShapesSource(): string {
  const topology = JSON.parse(readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8'))
  const { features } = feature(topology, topology.objects.countries) as { features: Feature[] }
  const shapes = new Map<string, string>()
  for (const { id, properties, geometry } of features) {
    const code = (id && countries.numericToAlpha2(id)) || byName[properties.name]
    if (!code) throw new Error(`no ISO code for ${properties.name} (${id})`)
    if (code === 'AQ') continue
    const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as number[][][][]
    for (const polygon of polygons) {
      const owner = partsApart[code]?.(polygon) ?? code
      shapes.set(owner, (shapes.get(owner) ?? '') + polygonPath(polygon))
    }
  }
  const entries = [...shapes].sort(([a], [b]) => a.localeCompare(b))
  const atlas = JSON.parse(readFileSync(require.resolve('world-atlas/package.json'), 'utf8')) as { version: string }
  const notice = readFileSync(require.resolve('world-atlas/LICENSE'), 'utf8').trim().split('\n')
  return `// Generated by scripts/world-shapes.ts: do not edit. Country outlines from Natural Earth's 1:110m countries (public
// domain), as world-atlas ${atlas.version} packs them, in the Natural Earth projection, Antarctica left out, as SVG paths
// keyed by ISO 3166-1 alpha-2 code. world-atlas's licence:
//
${notice.map((line) => `// ${line}`.trimEnd()).join('\n')}

/** The map's size in SVG units. */
export const worldSize = { width: ${width}, height: ${height} } as const

/** Each country's outline, an SVG path. */
export const worldShapes: Readonly<Record<string, string>> = {
${entries.map(([code, path]) => `  ${code}: '${path}',`).join('\n')}
}
`
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(output, worldShapesSource())
}
