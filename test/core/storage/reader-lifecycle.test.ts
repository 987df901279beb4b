// The reader thread costs an isolate and a page cache: it starts with the first query that needs it,
// closes after a while without one, and the next query starts another that answers as the first did. A
// background query (the spend ledger's at start, with nobody looking) does not keep a thread it started.
import { EventEmitter, once } from 'node:events';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLogStore, type LogStore } from '../../../electron/core/storage';
import { makeRecord, tempDir } from '../../helpers/records';

describe('the reader thread', () => {
  let store: LogStore;
  let cleanup: () => void;
  let states: string[];
  const threads = new EventEmitter();

  beforeEach(async () => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    states = [];
    store = await openLogStore(join(dir, 'log.sqlite'), {
      reader: {
        idleMs: 200,
        onThread: (state) => {
          states.push(state);
          threads.emit(state);
        },
      },
    });
  });

  afterEach(async () => {
    await store.close();
    cleanup();
  });

  it('starts on the first query, closes when idle, and a later query starts one that answers', async () => {
    for (let i = 0; i < 3; i++) store.enqueue(makeRecord({ model: i < 2 ? 'm-a' : 'm-b' }));
    await store.flush();
    expect(states).toEqual([]);

    const stopped = once(threads, 'stopped');
    const first = await store.getStats({}, 'model');
    expect(first.total.requests).toBe(3);
    expect(first.groups.map((g) => [g.key, g.requests])).toEqual([
      ['m-a', 2],
      ['m-b', 1],
    ]);
    expect(states).toEqual(['started']);
    await stopped;

    store.enqueue(makeRecord({ model: 'm-b' }));
    await store.flush();
    const again = await store.getStats({}, 'model');
    expect(again.total.requests).toBe(4);
    expect(states).toEqual(['started', 'stopped', 'started']);
  });

  it('stays while queries keep coming, answering each, and closes with the store', async () => {
    store.enqueue(makeRecord({ model: 'm-a' }));
    await store.flush();
    const answers = await Promise.all([
      store.getStats({}, null),
      store.listScan({}, { column: 'model', dir: 'asc' }, null, 10),
      store.spendHours('2000-01-01T00'),
    ]);
    expect(answers[0].total.requests).toBe(1);
    expect(answers[1].rows.map((r) => r.model)).toEqual(['m-a']);
    expect(answers[2].rows).toHaveLength(1);
    expect(states).toEqual(['started']);
    const stopped = once(threads, 'stopped');
    await store.close();
    await stopped;
    expect(states).toEqual(['started', 'stopped']);
  });
});

describe('a background query', () => {
  it('closes the thread it started once answered; one a page started stays for its idle time', async () => {
    const { dir, cleanup } = tempDir();
    const states: string[] = [];
    const threads = new EventEmitter();
    const store = await openLogStore(join(dir, 'log.sqlite'), {
      reader: {
        idleMs: 600_000,
        onThread: (state) => {
          states.push(state);
          threads.emit(state);
        },
      },
    });
    try {
      store.enqueue(makeRecord({ model: 'm-a' }));
      await store.flush();

      const stopped = once(threads, 'stopped');
      expect((await store.spendHours('2000-01-01T00')).rows).toHaveLength(1);
      await stopped;
      expect(states).toEqual(['started', 'stopped']);

      // A page's query starts a thread that stays: the background query and the next page's both use it.
      expect((await store.getStats({}, null)).total.requests).toBe(1);
      expect((await store.spendHours('2000-01-01T00')).rows).toHaveLength(1);
      expect((await store.getStats({}, 'model')).groups).toHaveLength(1);
      expect(states).toEqual(['started', 'stopped', 'started']);
    } finally {
      await store.close();
      cleanup();
    }
    expect(states).toEqual(['started', 'stopped', 'started', 'stopped']);
  });
});
