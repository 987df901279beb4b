// Production build: the Node side (Electron main, preload, headless serve, writer worker) with
// esbuild, the renderer with Vite. Everything the app runs ends up in dist/; the migrations are
// embedded in the bundles, so dist/ needs no source tree beside it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nodeBundleOptions, workerEntries } from './bundle-config.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/electron`;
const only = process.argv.includes('--node-only')
  ? 'node'
  : process.argv.includes('--renderer-only')
    ? 'renderer'
    : 'all';

if (only !== 'renderer') {
  rmSync(out, { recursive: true, force: true });
  await build({
    ...nodeBundleOptions(root),
    entryPoints: {
      main: `${root}electron/main.ts`,
      serve: `${root}electron/core/serve.ts`,
      cli: `${root}electron/core/cli/main.ts`,
      bin: `${root}electron/core/cli/bin.ts`,
      ...workerEntries(root),
    },
    outdir: out,
  });
  // The preload runs in a sandboxed renderer, where only a single CommonJS file works.
  const { banner: _esmOnly, ...cjs } = nodeBundleOptions(root);
  await build({ ...cjs, entryPoints: [`${root}electron/preload.ts`], outfile: `${out}/preload.cjs`, format: 'cjs' });
}

if (only !== 'node') {
  const r = spawnSync(
    process.execPath,
    [`${root}node_modules/vite/bin/vite.js`, 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
      // Vite builds whatever NODE_ENV says when it is set: under vitest (NODE_ENV=test), or for a
      // developer with NODE_ENV=development in their shell, the page shipped React's development
      // build (twice the size, and every render timed with performance.measure).
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}
