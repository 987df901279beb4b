// `npm run bench`: the storage benchmarks (the writer against SQLite's floor among them), then the
// proxy against its peers, one after another (never concurrently: they would measure each other).
// `npm run bench -- --quick`: the proxy table alone, in a few minutes. The renderer and export
// benchmarks run on their own (BENCHMARKS.md). The proxy table's targets run from bundles of their own
// (scripts/build-bench-roles.mjs), so none of them carries this bundle.
if (!process.argv.includes('--quick')) {
  await import('./storage');
  await (await import('./writer')).benchWriter();
  await import('./sqlite-floor');
}
const { benchProxyPeers } = await import('./proxy-peers');
await benchProxyPeers();
export {};
