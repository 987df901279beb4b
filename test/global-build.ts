// Vitest global setup: build dist/ once, before any test file runs. End-to-end and build-output
// tests run the built app; building it here (not per file) means nothing rebuilds dist/ while
// another file is reading it. SKIP_BUILD=1 reuses an existing dist/ when iterating on tests.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export default function setup(): void {
  if (process.env.SKIP_BUILD === '1' && existsSync('dist/electron/serve.js') && existsSync('dist/renderer/index.html'))
    return;
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`the build failed (exit ${r.status ?? r.signal}); no test can run the app`);
}
