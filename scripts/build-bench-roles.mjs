// Builds what the proxy benchmark (bench/proxy-peers.ts) runs as its targets, so that each target's
// process holds its own code and nothing of the load generator's:
//  - the product: electron/core/serve.ts and the workers, with the options of the production
//    build (scripts/build.mjs), so the inspector's row measures `npm run serve` itself;
//  - the other Node targets (the fake upstream, the bare http-proxy, mockttp, the records-discarded
//    diagnostic): bench/proxy-roles.ts, split into chunks so that a role loads only its own imports
//    (the bare proxy does not carry the inspector's code, nor the inspector's the others').
// Usage: node scripts/build-bench-roles.mjs OUTDIR  (prints nothing; exits non-zero on failure)
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { nodeBundleOptions, workerEntries } from './bundle-config.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = process.argv[2];
if (!outdir) {
  console.error('usage: node scripts/build-bench-roles.mjs OUTDIR');
  process.exit(2);
}
await build({
  ...nodeBundleOptions(root),
  entryPoints: { serve: `${root}electron/core/serve.ts`, ...workerEntries(root) },
  outdir: `${outdir}/product`,
});
await build({
  ...nodeBundleOptions(root, { external: ['mockttp'] }),
  entryPoints: { 'proxy-roles': `${root}bench/proxy-roles.ts`, ...workerEntries(root) },
  splitting: true,
  outdir: `${outdir}/roles`,
});
