// Runs a TypeScript entry (a benchmark, a one-off tool) the way the app runs: bundled by esbuild
// with the migrations embedded and the writer worker beside it, then executed with plain Node.
// Usage: node scripts/run-bundled.mjs bench/storage.ts [args...]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBundleOptions, workerEntries } from './bundle-config.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-bundled.mjs <entry.ts> [args...]');
  process.exit(2);
}
const name = basename(entry).replace(/\.tsx?$/, '');
const outdir = `${root}dist/run/${name}`;
await build({
  ...nodeBundleOptions(root, { external: ['playwright-core', 'autocannon', 'mockttp'] }),
  entryPoints: { [name]: entry, ...workerEntries(root) },
  outdir,
});
const r = spawnSync(process.execPath, ['--enable-source-maps', '--expose-gc', `${outdir}/${name}.js`, ...args], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
