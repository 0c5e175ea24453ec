import { defaultClientConditions, defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

// Tests run against the TypeScript sources of the workspace packages (the "source" export condition), so that
// `npm test` needs no build step; the browser tests build the snippet themselves.
export default defineConfig({
  resolve: { conditions: ['source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          // Many of these run real DuckDB work over real files, a few seconds each beside the rest of the suite on a
          // 2-core machine: the default 5 s made a busy machine fail them, which says nothing about the code.
          testTimeout: 30_000,
          include: [
            'packages/{protocol,log,stream,collector,carts,email,report,cli}/test/**/*.test.ts',
            'test/architecture/**/*.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'happy-dom',
          include: ['packages/sdk/test/**/*.test.ts'],
          setupFiles: ['fake-indexeddb/auto'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          exclude: ['test/e2e/delivery-soak.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // After the unit tests; each file drives its own Chromium, and two at once is what two cores carry.
          sequence: { groupOrder: 1 },
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          name: 'packaging',
          environment: 'node',
          include: ['test/packaging/**/*.test.ts'],
          // Packing needs dist/: the build runs first, skipping whatever is already built from the same files.
          globalSetup: ['test/packaging/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          // Last: these install from the registry's cache and run the installed command, CPU the others need. One
          // file at a time: one of them rebuilds packages that another packs.
          sequence: { groupOrder: 2 },
          maxWorkers: 1,
        },
      },
      {
        extends: true,
        test: {
          name: 'soak',
          environment: 'node',
          include: ['test/e2e/delivery-soak.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Alone and last: its visitors' queues must drain within its time, which a second Chromium test beside it
          // on two cores can starve (its events then still wait in the browser when it counts them).
          sequence: { groupOrder: 3 },
          maxWorkers: 1,
        },
      },
      {
        extends: true,
        test: {
          name: 'fleet',
          environment: 'node',
          include: ['test/fleet/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // Alone: each file runs a 3-node JetStream cluster and a dozen spoor processes, all two cores carry.
          sequence: { groupOrder: 4 },
          maxWorkers: 1,
        },
      },
    ],
  },
})
