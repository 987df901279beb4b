// Other local users must not read the log, its WAL/SHM, exports or settings: modes are set
// explicitly, whatever the umask. Run with umask 0 (the most permissive) to prove it.
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportLog } from '../../electron/core/export';
import { saveSettings, settingsSchema } from '../../electron/core/settings';
import { openLogStore } from '../../electron/core/storage';
import { makeRecord, tempDir } from '../helpers/records';

const modeOf = (path: string) => statSync(path).mode & 0o777;
const posix = process.platform !== 'win32';

let previousUmask: number;
let temp: { dir: string; cleanup: () => void };
beforeAll(() => {
  previousUmask = process.umask(0);
  temp = tempDir('inspector-modes-');
});
afterAll(() => {
  process.umask(previousUmask);
  temp.cleanup();
});

describe.runIf(posix)('file modes', () => {
  it('creates the data folder 0700 and the log, its WAL and SHM 0600; exports of every format are 0600', async () => {
    const folder = join(temp.dir, 'data');
    const store = await openLogStore(join(folder, 'log.sqlite'));
    try {
      store.enqueue(makeRecord());
      await store.flush();
      expect(modeOf(folder)).toBe(0o700);
      for (const f of ['log.sqlite', 'log.sqlite-wal', 'log.sqlite-shm'])
        expect([f, modeOf(join(folder, f))]).toEqual([f, 0o600]);
      for (const format of ['sqlite', 'jsonl', 'csv', 'har'] as const) {
        const destination = join(temp.dir, `out.${format}`);
        await exportLog({
          source: store.path,
          destination,
          format,
          filter: {},
          includeBodies: true,
          includeHeaders: true,
        });
        expect([format, modeOf(destination)]).toEqual([format, 0o600]);
      }
    } finally {
      await store.close();
    }
  });

  it('tightens a world-readable log and WAL left by an earlier version', async () => {
    const file = join(temp.dir, 'old.sqlite');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.close();
    writeFileSync(`${file}-wal`, '');
    chmodSync(file, 0o644);
    chmodSync(`${file}-wal`, 0o666);
    const store = await openLogStore(file);
    await store.close();
    expect(modeOf(file)).toBe(0o600);
  });

  it('writes settings 0600 into a new 0700 folder', async () => {
    const file = join(temp.dir, 'config', 'settings.json');
    await saveSettings(
      file,
      settingsSchema.parse({ upstreams: [{ name: 'openai', baseUrl: 'https://api.openai.com', apiKey: 'sk-secret' }] }),
    );
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(join(temp.dir, 'config'))).toBe(0o700);
  });
});
