import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql ships an ESM build (under "module") beside its CommonJS one; Node loads the CommonJS
    // build for our code and for graphql-jit alike, and so must the tests: two copies of graphql
    // cannot share one schema.
    alias: [
      {
        find: /^graphql$/,
        replacement: fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: keep worker count modest so spawned emulators are not starved.
    maxWorkers: 2,
  },
});
