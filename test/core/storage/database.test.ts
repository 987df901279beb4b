import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openConnection } from '../../../electron/core/storage/database';

describe('openConnection', () => {
  it("opens SQLite's in-memory database without making a file named ':memory:'", () => {
    const stray = join(process.cwd(), ':memory:');
    rmSync(stray, { force: true });
    const db = openConnection(':memory:');
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(existsSync(stray)).toBe(false);
  });
});
