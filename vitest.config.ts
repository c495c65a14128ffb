// Test runner configuration: three projects so each suite runs in the environment it needs.
//   core     — Node: core modules, IPC contract, CLI; real better-sqlite3 files in temp dirs, real libsodium.
//   renderer — jsdom: React components against a typed fake of the preload API.
//   e2e      — Node driving Debian Chromium (playwright-core) on the built renderer, IPC routed to real handlers.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'core',
          environment: 'node',
          include: ['test/unit/**/*.test.ts', 'test/core/**/*.test.ts', 'test/cli/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['test/renderer/**/*.test.tsx'],
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
          // One browser at a time: the machines have two cores.
          fileParallelism: false,
        },
      },
    ],
  },
})
