// The reader thread: runs the queries that scan (grouped stats over the whole log take a second
// at a million rows; so does a page of the list sorted by a column no index covers, a page
// reached by skipping rows from a cursor, or one whose filter no index serves) on a connection
// of its own, so they never stall the event loop that proxies requests and serves the window.
// Pages that are index seeks stay on the main thread (about 1 ms each).
import { parentPort, workerData } from 'node:worker_threads';
import { openConnection } from './database';
import { errorMessage } from './errors';
import { createQueries } from './queries';
import { createStatsQuery } from './stats-query';
import type { ReaderRequest, ReaderResponse } from './reader-protocol';

const { file, readonly } = workerData as { file: string; readonly?: boolean };
const port = parentPort!;
const db = openConnection(file, { readonly });
db.pragma('query_only = ON');
const queries = createQueries(db);
const getStats = createStatsQuery(db, queries.getStats);

port.on('message', (m: ReaderRequest) => {
  if (m.type === 'close') {
    db.close();
    port.close();
    return;
  }
  let reply: ReaderResponse;
  try {
    const result = m.type === 'list' ? queries.listPage(m.filter, m.sort, m.cursor, m.limit, m.skip) : getStats(m.filter, m.groupBy);
    reply = { id: m.id, ok: true, result };
  } catch (e) {
    reply = { id: m.id, ok: false, error: errorMessage(e) };
  }
  port.postMessage(reply);
});
