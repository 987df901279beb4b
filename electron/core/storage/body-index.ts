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
import { literalText, type TemplateIndexing } from './body-store';
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

/**
 * A condition on `requests` alias `a`: the row's bodies match the FTS5 query (bound as the next
 * parameter). A match in a shared body part (rowid -part id) counts for every request naming it.
 */
export const bodyMatchSql = (a: string) =>
  `${a}.id IN (WITH m(id) AS (SELECT rowid FROM body_fts WHERE body_fts MATCH ?) ` +
  `SELECT id FROM m WHERE id > 0 UNION ALL SELECT p.request_id FROM m JOIN body_part_refs p ON p.part_id = -m.id)`;

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
    'SELECT e.request_id AS id, e.request_body AS req, t.template, e.response_body AS res FROM exchanges e ' +
      'LEFT JOIN body_templates t USING (request_id) WHERE e.request_id > ? ORDER BY e.request_id LIMIT ?',
  );
  const partPage = db.prepare('SELECT id, body FROM body_parts WHERE id > ? ORDER BY id LIMIT ?');
  const PAGE = 5_000;

  function addText(id: number, req: string | null, res: string | null): void {
    const a = indexableText(req);
    const b = indexableText(res);
    if (a !== null || b !== null) insert.run(id, a, b);
  }

  /** A body part, once for all the requests that name it (body-store.ts): under rowid -id. */
  const addPart = (id: number, text: string) => addText(-id, text, null);

  return {
    /**
     * The row's bodies as stored (none when the writer shed them): a request body stored as a
     * template is its literal text here, and the parts it stored first are indexed on their own.
     */
    add(id: number, exchange: ExchangeRecord, bodiesDropped: boolean, templated: TemplateIndexing | null): void {
      if (bodiesDropped) return;
      addText(id, templated === null ? exchange.requestBody : templated.literal, exchange.responseBody);
      for (const p of templated?.newParts ?? []) addPart(p.id, p.text);
    },

    /** Recomputes the index from the stored bodies, a page at a time (memory stays at one page). */
    rebuild(): void {
      db.prepare("INSERT INTO body_fts (body_fts) VALUES ('delete-all')").run();
      let cursor = 0;
      for (;;) {
        const rows = page.all(cursor, PAGE) as {
          id: number;
          req: string | null;
          template: string | null;
          res: string | null;
        }[];
        if (rows.length === 0) break;
        for (const r of rows) {
          const req = r.template === null ? r.req : literalText(JSON.parse(r.template) as (string | number)[]);
          addText(r.id, req, r.res);
        }
        cursor = rows.at(-1)!.id;
      }
      for (let part = 0; ;) {
        const parts = partPage.all(part, PAGE) as { id: number; body: string }[];
        if (parts.length === 0) break;
        for (const p of parts) addPart(p.id, p.body);
        part = parts.at(-1)!.id;
      }
      setComplete.run(1);
    },

    isComplete: completeFlag(db),
  };
}
