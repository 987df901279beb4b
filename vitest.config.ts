import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { viteMigrations } from './scripts/migrations-plugin.mjs';

export default defineConfig({
  plugins: [viteMigrations(fileURLToPath(new URL('./migrations', import.meta.url)))],
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/global-build.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests open real servers and SQLite files; two cores, so two forks.
    pool: 'forks',
    maxWorkers: 2,
  },
});
