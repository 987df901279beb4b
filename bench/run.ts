// `npm run bench`: every benchmark, one after another (never concurrently: they would measure each other).
await import('./storage');
export {};
