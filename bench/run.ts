// `npm run bench`: the storage benchmarks, one after another (never concurrently: they would
// measure each other). The proxy, renderer and export benchmarks run on their own (BENCHMARKS.md).
await import('./storage');
await import('./sqlite-floor');
export {};
