// A program that writes the log as fast as it can and says what is committed, for a test to kill
// with SIGKILL mid-flight: every id it printed must be in the file afterwards.
import { openLogStore } from '../../electron/core/storage';
import { makeRecord } from './records';

const store = await openLogStore(process.argv[2]!);
store.on('committed', (rows) => process.stdout.write(`committed ${rows.map((r) => r.id).join(',')}\n`));
const feed = () => {
  for (let i = 0; i < 50; i++)
    store.enqueue(makeRecord({ model: i % 2 ? 'odd' : 'even', inputTokens: 100 + i, outputTokens: 10 + i }));
  setTimeout(feed, 1);
};
feed();
