// `npm run test:electron`: the smoke test of the real Electron app (test/smoke/*.smoke.ts), kept
// out of `npm test` (vitest.config.ts only picks up *.test.ts), since Electron's binary is not
// available everywhere the tests run. The release workflow runs it against the packaged app.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { viteMigrations } from './scripts/migrations-plugin.mjs';

export default defineConfig({
  plugins: [viteMigrations(fileURLToPath(new URL('./migrations', import.meta.url)))],
  test: {
    include: ['test/smoke/**/*.smoke.ts'],
    // Builds dist/ unless SKIP_BUILD=1 (the packaged app doesn't need it).
    globalSetup: ['test/global-build.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
