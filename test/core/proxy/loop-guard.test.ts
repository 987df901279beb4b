import { expect, it } from 'vitest';
import { canonicalHost, ResolvedNames } from '../../../electron/core/proxy/loop-guard';

it('writes every spelling of an address one way', () => {
  expect(
    ['[::ffff:127.0.0.1]', '::FFFF:7F00:1', '[0:0:0:0:0:ffff:7f00:1]', '127.1', '0x7f000001', '127.0.0.1.'].map(
      canonicalHost,
    ),
  ).toEqual(Array(6).fill('127.0.0.1'));
  expect(['[0:0::1]', 'LOCALHOST.', 'api.example.com', '[::ffff:1:2:3]'].map(canonicalHost)).toEqual([
    '::1',
    'localhost',
    'api.example.com',
    '::ffff:1:2:3',
  ]);
});

it(
  'resolves names when settings are applied, waits for ' + 'them a bounded time, and uses a late answer once it comes',
  async () => {
    let answer!: (addresses: string[]) => void;
    const asked: string[] = [];
    const names = new ResolvedNames((name) => {
      asked.push(name);
      return name === 'slow.example' ? new Promise((resolve) => (answer = resolve)) : Promise.resolve(['10.0.0.1']);
    });
    const started = performance.now();
    await names.refresh(['127.0.0.1', 'localhost', 'fast.example', 'slow.example', '[::1]'], 50);
    expect(performance.now() - started).toBeLessThan(1000);
    // Addresses and loopback names are never looked up.
    expect(asked.sort()).toEqual(['fast.example', 'slow.example']);
    expect(names.addressesOf('FAST.example.')).toEqual(['10.0.0.1']);
    expect(names.addressesOf('slow.example')).toEqual([]);
    answer(['::ffff:127.0.0.1']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(names.addressesOf('slow.example')).toEqual(['127.0.0.1']);
    // Applying other settings forgets names they no longer mention.
    await names.refresh(['fast.example'], 50);
    expect(names.addressesOf('slow.example')).toEqual([]);
  },
);
