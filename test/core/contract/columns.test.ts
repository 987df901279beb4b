// The column tables say what the migrations made: same columns, same order, same SQLite type and
// nullability. A migration that adds a column fails here until the table says it too.
import { describe, expect, it } from 'vitest';
import { EXCHANGE_COLUMNS, REQUEST_COLUMNS, type Column } from '../../../electron/core/contract/columns';
import { openConnection } from '../../../electron/core/storage/database';
import { migrate } from '../../../electron/core/storage/migrate';
import migrations from 'virtual:migrations';

const SQL_TYPE = { text: 'TEXT', integer: 'INTEGER', real: 'REAL', boolean: 'INTEGER', json: 'TEXT' } as const;

describe('column tables', () => {
  const db = openConnection(':memory:');
  migrate(db, ':memory:', migrations);
  const info = (table: string) =>
    db.prepare('SELECT * FROM pragma_table_info(?)').all(table) as {
      name: string;
      type: string;
      notnull: number;
      pk: number;
    }[];
  const expected = (columns: readonly Column[]) =>
    columns.map((c) => ({ name: c.name, type: SQL_TYPE[c.type], nullable: c.nullable }));
  // An INTEGER PRIMARY KEY is the rowid: never NULL, though SQLite reports it without NOT NULL.
  const actual = (table: string) =>
    info(table).map((c) => ({ name: c.name, type: c.type, nullable: c.notnull === 0 && c.pk === 0 }));

  it('requests: every column, in table order, with its type and nullability', () => {
    expect(expected(REQUEST_COLUMNS)).toEqual(actual('requests'));
  });

  it('exchanges: every column after request_id', () => {
    expect(expected(EXCHANGE_COLUMNS)).toEqual(actual('exchanges').filter((c) => c.name !== 'request_id'));
  });
});
