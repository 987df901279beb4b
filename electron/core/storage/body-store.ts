// Request bodies with each repeated part stored once (migration 0010): the writer's side, and the
// one SQL expression every reader takes a body from. The cut itself is body-template.ts.
import { hash } from 'node:crypto';
import type { Db } from './database';
import { splitBody } from './body-template';

/**
 * The request body of exchanges row `e` as captured, whichever way it is stored (the view
 * request_bodies puts it back together). Every read of a request body goes through this.
 */
export const requestBodySql = (e: string) =>
  `(SELECT b.request_body FROM request_bodies b WHERE b.request_id = ${e}.request_id)`;

/** Statements prepared once per connection; every function runs inside the caller's transaction. */
export function createBodyStore(db: Db) {
  const bump = db.prepare('UPDATE body_part_keys SET refs = refs + 1 WHERE hash = ? RETURNING part_id').pluck();
  const insertPart = db.prepare('INSERT INTO body_parts (body) VALUES (?)');
  const insertKey = db.prepare('INSERT INTO body_part_keys (hash, part_id, refs) VALUES (?, ?, 1)');
  const insertTemplate = db.prepare('INSERT INTO body_templates (request_id, template) VALUES (?, ?)');

  /** The part's id, counting one more reference to it (or storing it, new). */
  function partId(text: string): number {
    const key = hash('sha256', text, 'buffer');
    const known = bump.get(key) as number | undefined;
    if (known !== undefined) return known;
    const id = Number(insertPart.run(text).lastInsertRowid);
    insertKey.run(key, id);
    return id;
  }

  return {
    /**
     * Stores request `id`'s body as a template over shared parts, when that gives it back exactly.
     * True when it did: exchanges.request_body is then to be NULL. False: store the body whole.
     */
    add(id: number, body: string | null): boolean {
      if (body === null) return false;
      const split = splitBody(body);
      if (split === null) return false;
      // A part named twice in one body (the same message twice) is one reference: the release
      // trigger counts each id once too.
      const ids = new Map<string, number>();
      const template = split.template.map((piece) => {
        if (typeof piece === 'string') return piece;
        const text = split.parts[piece]!;
        let known = ids.get(text);
        if (known === undefined) ids.set(text, (known = partId(text)));
        return known;
      });
      insertTemplate.run(id, JSON.stringify(template));
      return true;
    },
  };
}

/**
 * Puts every templated body back into exchanges.request_body and drops the templates (their parts
 * go with them): for a copy of the log meant for other tools (the SQLite export), which then
 * read request_body without the view. Runs inside the caller's transaction.
 */
export function storeBodiesWhole(db: Db): void {
  db.exec(`UPDATE exchanges AS e SET request_body = ${requestBodySql('e')}
    WHERE e.request_body IS NULL AND e.request_id IN (SELECT request_id FROM body_templates)`);
  db.exec('DELETE FROM body_templates');
}
