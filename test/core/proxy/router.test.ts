import { describe, expect, it } from 'vitest';
import { isOwnAddress } from '../../../electron/core/proxy/loop-guard';
import { createRouter, fetchSiteAllowed, hostAllowed, originAllowed } from '../../../electron/core/proxy/router';

describe('createRouter', () => {
  const router = createRouter([
    { name: 'openai', baseUrl: 'https://api.openai.com/v1/', mount: '/' },
    { name: 'anthropic', baseUrl: 'https://api.anthropic.com' },
  ]);
  const target = (url: string) => {
    const r = router.route(url);
    return r.ok ? [r.route.upstream.name, r.route.target.href] : [r.status];
  };

  it('picks the longest matching mount on a segment boundary and appends the rest to the base path', () => {
    expect(target('/chat/completions')).toEqual(['openai', 'https://api.openai.com/v1/chat/completions']);
    expect(target('/anthropic/v1/messages?beta=true')).toEqual([
      'anthropic',
      'https://api.anthropic.com/v1/messages?beta=true',
    ]);
    expect(target('/anthropic')).toEqual(['anthropic', 'https://api.anthropic.com/']);
    // Not a segment boundary: belongs to the root mount.
    expect(target('/anthropicx/v1')).toEqual(['openai', 'https://api.openai.com/v1/anthropicx/v1']);
  });

  it('without a root mount, unknown paths get a 404 listing the mounts', () => {
    const r = createRouter([
      { name: 'a', baseUrl: 'http://x' },
      { name: 'b', baseUrl: 'http://y' },
    ]).route('/c/v1');
    expect(r).toMatchObject({ ok: false, status: 404, mounts: ['/a', '/b'] });
    expect(!r.ok && r.message).toContain('/a, /b');
  });
});

describe('guards', () => {
  it('Host: loopback names, IP literals and the configured host only', () => {
    const s = { host: '127.0.0.1' };
    for (const ok of [
      '127.0.0.1:8080',
      'localhost:8080',
      'LOCALHOST',
      '[::1]:8080',
      'app.localhost:1',
      '192.168.1.5:8080',
    ])
      expect(hostAllowed(ok, s)).toBe(true);
    for (const bad of ['evil.example:8080', 'localhost.evil.example', '', undefined, 'a b'])
      expect(hostAllowed(bad, s)).toBe(false);
    expect(hostAllowed('devbox.lan:8080', { host: 'devbox.lan' })).toBe(true);
  });

  it(
    'Host: parsed as RFC 9110 uri-host [":" port]; ' + 'userinfo and anything a URL parser would forgive are refused',
    () => {
      const s = { host: '127.0.0.1' };
      for (const ok of ['[::ffff:127.0.0.1]:8080', 'localhost.:8080', '127.0.0.1:'])
        expect(hostAllowed(ok, s), ok).toBe(true);
      for (const bad of [
        'evil.example@127.0.0.1',
        'evil.example@127.0.0.1:8080',
        'user:pw@localhost',
        '[::1]@evil.example',
        '127.0.0.1/evil.example',
        '127.0.0.1\\@evil.example',
        '127.0.0.1#@evil',
        '127.0.0.1?x',
        '127.0.0.1:80:80',
        '[::1',
        '[evil.example]',
        '127.0.0.1 ',
        'localhost:8080x',
      ]) {
        expect(hostAllowed(bad, s), bad).toBe(false);
      }
    },
  );

  it('Origin: absent passes; otherwise compared by parsed origin', () => {
    const s = { allowedOrigins: ['http://localhost:5173'] };
    expect(originAllowed(undefined, s)).toBe(true);
    expect(originAllowed('http://localhost:5173', s)).toBe(true);
    for (const bad of ['http://localhost:5174', 'http://localhost:5173.evil.example', 'null', 'garbage'])
      expect(originAllowed(bad, s)).toBe(false);
  });

  it(
    'Fetch Metadata: another page (cross-site or same-site) passes only with an Origin, which the ' +
      'allow-list then judges',
    () => {
      for (const site of ['cross-site', 'same-site', 'Cross-Site '])
        expect(fetchSiteAllowed(site, undefined), site).toBe(false);
      for (const site of ['same-origin', 'none', undefined])
        expect(fetchSiteAllowed(site, undefined), String(site)).toBe(true);
      expect(fetchSiteAllowed('cross-site', 'http://localhost:5173')).toBe(true);
    },
  );

  it('own address: loopback aliases of our ports, any IP when bound to a wildcard', () => {
    const own = { host: '127.0.0.1', ports: [8080] };
    expect(isOwnAddress(new URL('http://localhost:8080'), own)).toBe(true);
    expect(isOwnAddress(new URL('http://127.0.0.2:8080'), own)).toBe(true);
    expect(isOwnAddress(new URL('http://[::1]:8080'), own)).toBe(true);
    expect(isOwnAddress(new URL('http://localhost:8081'), own)).toBe(false);
    expect(isOwnAddress(new URL('http://10.0.0.2:8080'), own)).toBe(false);
    expect(isOwnAddress(new URL('http://10.0.0.2:8080'), { host: '0.0.0.0', ports: [8080] })).toBe(true);
  });

  it(
    'own address: every spelling of a loopback address, ' + 'and names as they resolved when the settings were applied',
    () => {
      const own = { host: '127.0.0.1', ports: [8080] };
      for (const url of [
        'http://[::ffff:127.0.0.1]:8080',
        'http://[0:0:0:0:0:ffff:7f00:1]:8080',
        'http://127.1:8080',
        'http://0x7f000001:8080',
        'http://LOCALHOST.:8080',
        'http://a.localhost:8080',
        'http://[::]:8080',
        'http://0.0.0.0:8080',
      ]) {
        expect(isOwnAddress(new URL(url), own), url).toBe(true);
      }
      expect(isOwnAddress(new URL('http://[::ffff:10.0.0.2]:8080'), own)).toBe(false);
      const resolved = (name: string) =>
        ({ 'loop.example': ['127.0.0.1'], 'lan.example': ['::ffff:10.0.0.2'], 'devbox.lan': ['10.0.0.2'] })[name] ?? [];
      expect(isOwnAddress(new URL('http://loop.example:8080'), own, resolved)).toBe(true);
      expect(isOwnAddress(new URL('http://lan.example:8080'), own, resolved)).toBe(false);
      expect(isOwnAddress(new URL('http://lan.example:8080'), { host: '0.0.0.0', ports: [8080] }, resolved)).toBe(true);
      // The proxy's own host given by name.
      expect(isOwnAddress(new URL('http://[::ffff:a00:2]:8080'), { host: 'devbox.lan', ports: [8080] }, resolved)).toBe(
        true,
      );
      expect(isOwnAddress(new URL('http://10.0.0.3:8080'), { host: 'devbox.lan', ports: [8080] }, resolved)).toBe(
        false,
      );
    },
  );
});
