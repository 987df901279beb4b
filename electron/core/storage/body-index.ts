// The full-text index of the bodies (migration 0009): what text goes in, kept by the writer in the
// same transaction as the row, built for a log from before it, and the match expression `body:`
// compiles to. Deletions need nothing here: a trigger on `requests` removes a deleted row's entry.
//
// Bodies are stored as captured, mostly JSON. Indexed, they are normalised so that the words a
// person would search for are tokens: JSON's \uXXXX escapes are decoded (an accented word written
// escaped is found), its other escapes (\n, \", …) become spaces (or "line\nrefund" would index
// "nrefund"), and in a body over 4 Ki characters runs of 256 or more base64-ish characters (images,
// audio, data URIs) are left out: they are no words, and would fill the index with noise. The first
// 1 Mi characters of each body are indexed. A streamed response is indexed as its SSE text: a word split
// across two deltas is
// not a token of it (as LIKE would not have found it either).
import type Database from 'better-sqlite3';
import type { Db } from './database';
import { requestBodySql } from './body-store';
import type { ExchangeRecord } from '../contract/model';

const MAX_INDEXED_CHARS = 1 << 20;

/** Bodies longer than this are searched for base64 runs (images, audio); shorter ones can't hold one worth it. */
const BINARY_SCAN_FROM = 4096;

/** A stored body as the index sees it. Pure: the writer and a rebuild index exactly the same text. */
export function indexableText(body: string | null): string | null {
  if (!body) return null;
  let text = body.length > MAX_INDEXED_CHARS ? body.slice(0, MAX_INDEXED_CHARS) : body;
  // Each pass runs only where it can change something: the writer pays for these on every row.
  if (text.includes('\\')) {
    text = text
      .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      .replace(/\\[nrtbf"\\/]/g, ' ');
  }
  if (text.length > BINARY_SCAN_FROM) text = text.replace(/(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/=_-]{256,}/g, ' ');
  return text;
}

/**
 * The FTS5 query for a `body:` value: its words as one phrase (in this order, next to each other),
 * the last one a prefix when the value ends in `*`. Null when the value holds no word at all (it
 * can match no token, so the term matches nothing).
 */
export function bodyMatchQuery(value: string): string | null {
  const prefix = /\*\s*$/.test(value);
  const words = value.replace(/\*+\s*$/, '');
  if (!/[\p{L}\p{N}]/u.test(words)) return null;
  return `"${words.replace(/"/g, '""')}"${prefix ? '*' : ''}`;
}

/** A condition on `requests` alias `a`: the row's bodies match the FTS5 query (bound as the next parameter). */
export const bodyMatchSql = (a: string) => `${a}.id IN (SELECT rowid FROM body_fts WHERE body_fts MATCH ?)`;

function completeFlag(db: Db): () => boolean {
  let stmt: Database.Statement;
  try {
    stmt = db.prepare("SELECT complete FROM derived_tables WHERE name = 'body_fts'").pluck();
  } catch {
    return () => false;
  }
  return () => stmt.get() === 1;
}

/** Statements prepared once per connection; every function runs inside the caller's transaction. */
export function createBodyIndex(db: Db) {
  const insert = db.prepare('INSERT INTO body_fts (rowid, request_body, response_body) VALUES (?, ?, ?)');
  const setComplete = db.prepare("UPDATE derived_tables SET complete = ? WHERE name = 'body_fts'");
  const page = db.prepare(
    `SELECT request_id AS id, ${requestBodySql('e')} AS req, response_body AS ` +
      'res FROM exchanges e WHERE request_id > ? ORDER BY request_id LIMIT ?',
  );
  const PAGE = 5_000;

  function addText(id: number, req: string | null, res: string | null): void {
    const a = indexableText(req);
    const b = indexableText(res);
    if (a !== null || b !== null) insert.run(id, a, b);
  }

  return {
    /** The row's bodies as stored (none when the writer shed them). */
    add(id: number, exchange: ExchangeRecord, bodiesDropped: boolean): void {
      if (!bodiesDropped) addText(id, exchange.requestBody, exchange.responseBody);
    },

    /** Recomputes the index from the stored bodies, a page at a time (memory stays at one page). */
    rebuild(): void {
      db.prepare("INSERT INTO body_fts (body_fts) VALUES ('delete-all')").run();
      let cursor = 0;
      for (;;) {
        const rows = page.all(cursor, PAGE) as { id: number; req: string | null; res: string | null }[];
        if (rows.length === 0) break;
        for (const r of rows) addText(r.id, r.req, r.res);
        cursor = rows.at(-1)!.id;
      }
      setComplete.run(1);
    },

    isComplete: completeFlag(db),
  };
}
