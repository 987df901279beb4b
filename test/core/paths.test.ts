import { expect, it } from 'vitest';
import { appDataDir, defaultDbPath } from '../../electron/core/paths';

it("matches Electron's userData folder on each OS", () => {
  expect(appDataDir({ platform: 'linux', env: {}, home: '/home/u' })).toBe('/home/u/.config/LLM Request Inspector');
  expect(appDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/x/cfg' }, home: '/home/u' })).toBe(
    '/x/cfg/LLM Request Inspector',
  );
  expect(appDataDir({ platform: 'darwin', env: {}, home: '/Users/u' })).toBe(
    '/Users/u/Library/Application Support/LLM Request Inspector',
  );
  expect(
    appDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, home: 'C:\\Users\\u' }),
  ).toBe('C:\\Users\\u\\AppData\\Roaming\\LLM Request Inspector');
  expect(defaultDbPath('/d')).toBe('/d/log.sqlite');
});

it('takes another data folder from INSPECTOR_DATA_DIR, absolute paths only', () => {
  expect(appDataDir({ platform: 'linux', env: { INSPECTOR_DATA_DIR: '/tmp/run-1' }, home: '/home/u' })).toBe(
    '/tmp/run-1',
  );
  expect(
    appDataDir({
      platform: 'win32',
      env: { INSPECTOR_DATA_DIR: 'D:\\runs\\1', APPDATA: 'C:\\x' },
      home: 'C:\\Users\\u',
    }),
  ).toBe('D:\\runs\\1');
  expect(appDataDir({ platform: 'linux', env: { INSPECTOR_DATA_DIR: '' }, home: '/home/u' })).toBe(
    '/home/u/.config/LLM Request Inspector',
  );
  // A relative folder would depend on wherever the app happened to be started from.
  expect(() => appDataDir({ platform: 'linux', env: { INSPECTOR_DATA_DIR: 'data' }, home: '/home/u' })).toThrow(
    /INSPECTOR_DATA_DIR must be an absolute path/,
  );
});
