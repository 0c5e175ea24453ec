import { limits } from '@spoor/protocol'
import { describe, expect, it } from 'vitest'
import { readLines, testApp, writeKey } from '../../../../test/support/helpers.js'

const heatmap = (properties: object) => ({
  type: 'track',
  event: 'Heatmap',
  anonymousId: 'a',
  properties: { path: '/', ...properties },
})

describe('a Heatmap grid is bounded at intake', () => {
  it('refuses a grid past the cell limit, or not made of whole numbers, with a reason; keeps one within it', async () => {
    const { app, sink, dataDir } = await testApp()
    const batch = [
      heatmap({ grid_columns: 20000, grid_rows: 20000, moves: [] }),
      heatmap({ grid_columns: 1e30, grid_rows: 1, moves: [] }),
      heatmap({ grid_columns: 2.5, grid_rows: 2, moves: [] }),
      heatmap({ grid_columns: 2, grid_rows: 2, moves: [1, 2, 3, 4, 5] }),
      heatmap({ grid_columns: 128, grid_rows: limits.heatmapCells / 128, moves: [1] }),
    ]
    const response = await app.request('/v1/batch', { method: 'POST', body: JSON.stringify({ writeKey, batch }) })
    const body = await response.json()
    expect(body.rejected.map((r: { index: number; reason: string }) => [r.index, r.reason])).toEqual([
      [0, `Heatmap grid is 400000000 cells, over the limit of ${limits.heatmapCells}`],
      [1, `Heatmap grid is ${1e30} cells, over the limit of ${limits.heatmapCells}`],
      [2, 'Heatmap grid_columns and grid_rows must be whole numbers from 1'],
      [3, 'Heatmap moves must be a list of at most grid_columns × grid_rows counts'],
    ])
    await sink.close()
    expect((await readLines(dataDir)).map((line) => line.properties.grid_columns)).toEqual([128])
  })
})
