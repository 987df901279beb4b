// startCore hands nativeBinding to the log store: `npm start` relies on it to load better-sqlite3
// built for Electron's ABI (INSPECTOR_NATIVE_BINDING) while node_modules keeps the Node build.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCore } from '../../electron/core/app-core';

const require = createRequire(import.meta.url);
const nodeBuild = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inspector-native-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const options = (nativeBinding: string) => ({
  settingsPath: join(dir, 'settings.json'),
  dbPath: join(dir, 'log.sqlite'),
  overrides: { port: 0 },
  requireProxy: true,
  nativeBinding,
});

describe('startCore nativeBinding', () => {
  it('opens the log through the given binary', async () => {
    const core = await startCore(options(nodeBuild));
    try {
      expect(core.store.path).toBe(join(dir, 'log.sqlite'));
      expect(core.proxyError).toBeNull();
    } finally {
      await core.stop();
    }
  });

  it('uses it rather than node_modules: a missing binary fails to open, naming the file', async () => {
    const missing = join(dir, 'nowhere', 'better_sqlite3.node');
    await expect(startCore(options(missing))).rejects.toThrow(/nowhere/);
  });
});
