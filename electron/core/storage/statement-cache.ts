import type Database from 'better-sqlite3';
import type { Db } from './database';

/**
 * Prepares each SQL text once per connection. Filters produce a bounded set of SQL shapes, so
 * repeated queries skip SQLite's parser and planner; the cap only guards against a caller that
 * produces unbounded shapes.
 */
export function statementCache(db: Db, max = 200): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      if (cache.size >= max) cache.clear();
      stmt = db.prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  };
}
