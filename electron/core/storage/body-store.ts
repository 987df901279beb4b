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

/** What the full-text index is told of a body stored as a template (body-index.ts). */
export interface TemplateIndexing {
  /** The template's literal text, its pieces apart: the words of the body outside its parts. */
  literal: string;
  /** Parts this row stored first; every other part is indexed already. */
  newParts: { id: number; text: string }[];
}

/** A template's literal pieces, spaced so that no two pieces run into one word. */
export const literalText = (template: readonly (string | number)[]) =>
  template.filter((p): p is string => typeof p === 'string').join(' ');

/** Statements prepared once per connection; every function runs inside the caller's transaction. */
export function createBodyStore(db: Db) {
  const findPart = db.prepare('SELECT id FROM body_parts WHERE hash = ?').pluck();
  const insertPart = db.prepare('INSERT INTO body_parts (hash, body) VALUES (?, ?)');
  const insertRef = db.prepare('INSERT INTO body_part_refs (request_id, part_id) VALUES (?, ?)');
  const insertTemplate = db.prepare('INSERT INTO body_templates (request_id, template) VALUES (?, ?)');

  return {
    /**
     * Stores request `id`'s body as a template over shared parts, when that gives it back exactly;
     * exchanges.request_body is then to be NULL. Null: store the body whole.
     */
    add(id: number, body: string | null): TemplateIndexing | null {
      if (body === null) return null;
      const split = splitBody(body);
      if (split === null) return null;
      const newParts: TemplateIndexing['newParts'] = [];
      // A part named twice in one body (the same message twice) is one reference.
      const ids = new Map<string, number>();
      const partId = (text: string): number => {
        const key = hash('sha256', text, 'buffer');
        let part = findPart.get(key) as number | undefined;
        if (part === undefined) {
          part = Number(insertPart.run(key, text).lastInsertRowid);
          newParts.push({ id: part, text });
        }
        insertRef.run(id, part);
        return part;
      };
      const template = split.template.map((piece) => {
        if (typeof piece === 'string') return piece;
        const text = split.parts[piece]!;
        let known = ids.get(text);
        if (known === undefined) ids.set(text, (known = partId(text)));
        return known;
      });
      insertTemplate.run(id, JSON.stringify(template));
      return { literal: literalText(split.template), newParts };
    },
  };
}

/**
 * Puts every templated body back into exchanges.request_body and drops the templates (their parts
 * go with them): for a copy of the log meant for other tools (the SQLite export), which then
 * read request_body without the view. The full-text index is then to be rebuilt. Runs inside the
 * caller's transaction.
 */
export function storeBodiesWhole(db: Db): void {
  db.exec(`UPDATE exchanges AS e SET request_body = ${requestBodySql('e')}
    WHERE e.request_body IS NULL AND e.request_id IN (SELECT request_id FROM body_templates)`);
  db.exec('DELETE FROM body_templates');
  db.exec('DELETE FROM body_part_refs');
}
