// The reader thread: runs the queries that scan (grouped stats over the whole log take a second
// at a million rows; so does a page of the list sorted by a column no index covers, a page
// reached by skipping rows from a cursor, or one whose filter no index serves) on a connection
// of its own, so they never stall the event loop that proxies requests and serves the window.
// Pages that are index seeks stay on the main thread (about 1 ms each), except for a file opened
// for browsing, whose every query runs here (see open-readonly.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { openConnection } from './database';
import { errorMessage } from './errors';
import { createQueries } from './queries';
import { compareSchema } from './schema-check';
import { createStatsQuery } from './stats-query';
import { createSpendQuery } from './spend-query';
import { createThreadQueries } from './thread-queries';
import type { ReaderConfig, ReaderRequest, ReaderResponse, ReaderResult } from './reader-protocol';

const { file, readonly, expectedSchema } = workerData as ReaderConfig;
const port = parentPort!;
const db = openConnection(file, { readonly });
db.pragma('query_only = ON');
if (expectedSchema) {
  db.pragma('trusted_schema = OFF');
  compareSchema(db, file, expectedSchema);
}
const queries = createQueries(db);
const getStats = createStatsQuery(db, queries.getStats);
const spendHours = createSpendQuery(db);
const threads = createThreadQueries(db);

function answer(m: Exclude<ReaderRequest, { type: 'close' }>): ReaderResult {
  switch (m.type) {
    case 'list':
      return queries.listPage(m.filter, m.sort, m.cursor, m.limit, m.skip);
    case 'stats':
      return getStats(m.filter, m.groupBy);
    case 'detail':
      return queries.getRequest(m.rowId);
    case 'ratios':
      return queries.getTokenRatios();
    case 'spend':
      return spendHours(m.fromHour);
    case 'threads':
      return threads.listThreads(m.filter, m.cursor, m.limit);
    case 'thread':
      return threads.thread(m.threadId);
    case 'distributions':
      return queries.getTokenDistributions();
    case 'distributionRows':
      return queries.getDistributionRows();
    default: {
      const never: never = m;
      throw new Error(`unknown request ${JSON.stringify(never)}`);
    }
  }
}

port.on('message', (m: ReaderRequest) => {
  if (m.type === 'close') {
    db.close();
    port.close();
    return;
  }
  let reply: ReaderResponse;
  try {
    reply = { type: 'answer', id: m.id, ok: true, result: answer(m) };
  } catch (e) {
    reply = { type: 'answer', id: m.id, ok: false, error: errorMessage(e) };
  }
  port.postMessage(reply);
});
port.postMessage({ type: 'ready' } satisfies ReaderResponse);
