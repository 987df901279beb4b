// The update check against a local release feed shaped like GitHub's: what it finds, how often it
// asks, and that with the setting off it asks nothing at all.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { releaseFeedFromUpdateConfig } from '../../../electron/core/updates/feed-config';
import { newestRelease } from '../../../electron/core/updates/release-feed';
import {
  CHECK_INTERVAL_MS,
  createUpdateChecker,
  updateStatePath,
  type UpdateCheckerOptions,
} from '../../../electron/core/updates/update-check';
import { installModeOf, updateMessage } from '../../../electron/core/updates/update-offer';
import { compareVersions, parseVersion } from '../../../electron/core/updates/version';
import { release, startFakeReleaseFeed, type FakeReleaseFeed } from '../../helpers/fake-release-feed';

let feed: FakeReleaseFeed;
let dir: string;
let clock: number;
let enabled: boolean;

beforeEach(async () => {
  feed = await startFakeReleaseFeed();
  dir = mkdtempSync(join(tmpdir(), 'inspector-updates-'));
  clock = Date.parse('2026-12-06T10:00:00Z');
  enabled = true;
});
afterEach(async () => {
  await feed.close();
  rmSync(dir, { recursive: true, force: true });
});

const checker = (over: Partial<UpdateCheckerOptions> = {}) =>
  createUpdateChecker({
    currentVersion: '0.1.0',
    feedUrl: feed.url,
    statePath: updateStatePath(dir),
    enabled: () => enabled,
    now: () => clock,
    timeoutMs: 5000,
    ...over,
  });

describe('update check', () => {
  it('finds a newer version, with its page and assets', async () => {
    feed.publish(release('0.2.0'));
    const outcome = await checker().checkIfDue();
    expect(outcome).toMatchObject({
      kind: 'available',
      current: '0.1.0',
      release: { version: '0.2.0', pageUrl: 'https://github.com/o/r/releases/tag/v0.2.0' },
    });
    expect(feed.requests).toHaveLength(1);
    // What the feed learns: the app's name and version in the User-Agent, no cookie, no identifier.
    expect(feed.requests[0]!.headers['user-agent']).toBe('llm-request-inspector/0.1.0');
    expect(feed.requests[0]!.headers.cookie).toBeUndefined();
    expect(feed.requests[0]!.path).toBe('/repos/o/r/releases/latest');
  });

  it('says up to date for the same version, and for an older one', async () => {
    feed.publish(release('0.1.0'));
    expect(await checker().checkNow()).toEqual({ kind: 'up-to-date', current: '0.1.0', latest: '0.1.0' });
    feed.publish(release('0.0.9'));
    expect(await checker().checkNow()).toEqual({ kind: 'up-to-date', current: '0.1.0', latest: '0.0.9' });
    // A pre-release or a draft is never offered, however new.
    feed.publish({ ...release('9.0.0'), prerelease: true });
    expect(await checker().checkNow()).toMatchObject({ kind: 'up-to-date', latest: null });
  });

  it('reports a feed that is down or answers nonsense as a failure, and keeps working', async () => {
    feed.fail(503);
    expect(await checker().checkNow()).toEqual({ kind: 'failed', message: 'the release feed answered 503' });
    feed.publish({ nonsense: true } as never);
    expect(await checker().checkNow()).toEqual({
      kind: 'failed',
      message: 'the release feed did not answer with GitHub releases',
    });
    const url = feed.url;
    await feed.close();
    const down = await checker({ feedUrl: url }).checkNow();
    expect(down).toMatchObject({
      kind: 'failed',
      message: expect.stringMatching(/^could not reach the release feed \(ECONNREFUSED/),
    });
    feed = await startFakeReleaseFeed();
  });

  it('asks at most once a day on start, across restarts, whatever the outcome', async () => {
    feed.fail(500);
    expect(await checker().checkIfDue()).toMatchObject({ kind: 'failed' });
    // A new checker is a restarted app: it reads the last attempt from the data folder.
    clock += CHECK_INTERVAL_MS - 60_000;
    feed.publish(release('0.2.0'));
    expect(await checker().checkIfDue()).toEqual({ kind: 'not-due', lastCheckedAt: '2026-12-06T10:00:00.000Z' });
    expect(feed.requests).toHaveLength(1);
    clock += 60_000;
    expect(await checker().checkIfDue()).toMatchObject({ kind: 'available' });
    expect(feed.requests).toHaveLength(2);
    expect(JSON.parse(readFileSync(updateStatePath(dir), 'utf8'))).toEqual({
      lastCheckedAt: '2026-12-07T10:00:00.000Z',
    });
    // The menu's check is the user asking: it runs whenever they ask.
    expect(await checker().checkNow()).toMatchObject({ kind: 'available' });
    expect(feed.requests).toHaveLength(3);
  });

  it('treats a clock set back, or an unreadable state file, as due', async () => {
    feed.publish(release('0.1.0'));
    writeFileSync(updateStatePath(dir), JSON.stringify({ lastCheckedAt: '2027-06-01T00:00:00Z' }));
    expect(await checker().checkIfDue()).toMatchObject({ kind: 'up-to-date' });
    writeFileSync(updateStatePath(dir), '{not json');
    expect(await checker().checkIfDue()).toMatchObject({ kind: 'up-to-date' });
    expect(feed.requests).toHaveLength(2);
  });

  it('with the setting off, makes no request at all', async () => {
    feed.publish(release('0.2.0'));
    enabled = false;
    const c = checker();
    expect(await c.checkIfDue()).toEqual({ kind: 'disabled' });
    clock += 10 * CHECK_INTERVAL_MS;
    expect(await c.checkIfDue()).toEqual({ kind: 'disabled' });
    expect(feed.requests).toHaveLength(0);
    // The setting is read on every check: turned back on, the next start-up check asks.
    enabled = true;
    expect(await c.checkIfDue()).toMatchObject({ kind: 'available' });
    expect(feed.requests).toHaveLength(1);
  });

  it('a build without a feed asks nobody', async () => {
    expect(await checker({ feedUrl: null }).checkIfDue()).toEqual({ kind: 'no-feed' });
    expect(await checker({ feedUrl: null }).checkNow()).toEqual({ kind: 'no-feed' });
    expect(feed.requests).toHaveLength(0);
  });

  it('shares one request between a start-up check and a menu click at the same time', async () => {
    feed.publish(release('0.2.0'));
    const c = checker();
    const [a, b] = await Promise.all([c.checkIfDue(), c.checkNow()]);
    expect(a).toEqual(b);
    expect(feed.requests).toHaveLength(1);
  });
});

describe('versions and feeds', () => {
  it('orders versions as SemVer does', () => {
    const order = [
      '0.9.9',
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      'v1.0.1',
      '1.10.0',
    ];
    for (let i = 1; i < order.length; i++)
      expect(compareVersions(parseVersion(order[i - 1]!)!, parseVersion(order[i]!)!)).toBeLessThan(0);
    expect(parseVersion('latest')).toBeNull();
  });

  it('picks the newest published release from a /releases list', () => {
    const list = [
      { ...release('0.4.0'), draft: true },
      release('0.3.0'),
      release('0.3.1'),
      { ...release('0.5.0-rc.1'), prerelease: false },
    ];
    expect(newestRelease(list)?.version).toBe('0.3.1');
  });
});

describe('what the user is offered', () => {
  const available = {
    kind: 'available' as const,
    current: '0.1.0',
    release: {
      version: '0.2.0',
      parsed: parseVersion('0.2.0')!,
      pageUrl: 'https://github.com/o/r/releases/tag/v0.2.0',
      assets: [],
    },
  };

  it('installs in the app only where an unsigned update can be installed', () => {
    expect(installModeOf({ platform: 'linux', env: { APPIMAGE: '/home/u/Apps/x.AppImage' }, isPackaged: true })).toBe(
      'in-app',
    );
    expect(installModeOf({ platform: 'linux', env: {}, isPackaged: true })).toBe('link'); // deb
    expect(installModeOf({ platform: 'win32', env: {}, isPackaged: true })).toBe('in-app'); // NSIS
    expect(installModeOf({ platform: 'win32', env: { PORTABLE_EXECUTABLE_DIR: 'C:\\x' }, isPackaged: true })).toBe(
      'link',
    );
    expect(installModeOf({ platform: 'darwin', env: {}, isPackaged: true })).toBe('link'); // unsigned
    expect(installModeOf({ platform: 'linux', env: { APPIMAGE: '/x' }, isPackaged: false })).toBe('link'); // npm start
  });

  it('asks before downloading, or links to the release page', () => {
    // Nothing is downloaded by default: Download must be clicked; Later (Escape) does nothing.
    expect(updateMessage(available, 'in-app', false)?.buttons).toEqual([
      { label: 'Download', action: 'download' },
      { label: 'Later', action: 'none' },
      { label: 'Open Release Page', action: 'open-page' },
    ]);
    const link = updateMessage(available, 'link', false);
    expect(link?.detail).toContain('https://github.com/o/r/releases/tag/v0.2.0');
    expect(link?.buttons).toEqual([
      { label: 'Open Release Page', action: 'open-page' },
      { label: 'Later', action: 'none' },
    ]);
    expect(link?.buttons.some((b) => b.action === 'download')).toBe(false);
  });

  it('stays quiet on start unless there is news; answers every menu check', () => {
    const quiet = [
      { kind: 'up-to-date', current: '0.1.0', latest: '0.1.0' },
      { kind: 'failed', message: 'x' },
      { kind: 'disabled' },
      { kind: 'not-due', lastCheckedAt: '' },
      { kind: 'no-feed' },
    ] as const;
    for (const o of quiet) expect(updateMessage(o, 'link', false)).toBeNull();
    expect(updateMessage(quiet[0], 'link', true)).toMatchObject({ message: 'You have the newest version (0.1.0).' });
    expect(updateMessage(quiet[1], 'link', true)).toMatchObject({ type: 'error', detail: 'x' });
    expect(updateMessage(quiet[4], 'link', true)).toMatchObject({
      message: 'This build has no release feed to check.',
    });
  });
});

describe('the feed a build checks', () => {
  it("is the GitHub repository named in electron-builder's app-update.yml", () => {
    expect(
      releaseFeedFromUpdateConfig(
        'owner: acme\nrepo: llm-request-inspector\nprovider: github\nupdaterCacheDirName: ' +
          'llm-request-inspector-updater\n',
      ),
    ).toBe('https://api.github.com/repos/acme/llm-request-inspector/releases/latest');
    expect(releaseFeedFromUpdateConfig('provider: github\r\nowner: \'acme\'\r\nrepo: "x.y"\r\n')).toBe(
      'https://api.github.com/repos/acme/x.y/releases/latest',
    );
    // A development build (no file), another provider, or a name that would change the URL's path: no feed.
    expect(releaseFeedFromUpdateConfig(null)).toBeNull();
    expect(releaseFeedFromUpdateConfig('provider: generic\nurl: https://example.com/\n')).toBeNull();
    expect(releaseFeedFromUpdateConfig('provider: github\nowner: a/../../b\nrepo: c\n')).toBeNull();
  });
});
