// A whole program that only uses the log, for a test to run as a bundle in a child process:
// nothing but the store's own threads keeps it alive, as in `npm run export` or a benchmark.
import { openLogStore } from '../../electron/core/storage';
import { makeRecord } from './records';

const store = await openLogStore(process.argv[2]!);
for (let i = 0; i < 25; i++) store.enqueue(makeRecord({ correlationId: `script-${i}` }));
await store.getStats({}, 'model');
await store.close();
console.log('closed');
