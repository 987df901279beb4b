import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../electron/core/contract/errors';
import { createHandlers, type CoreHandlers } from '../../../electron/core/api/handlers';
import { makeRecord, tempDir } from '../../helpers/records';
import { openTestCore, type TestCore } from '../api/test-core';

let core: TestCore;
let handlers: CoreHandlers;
let out: { dir: string; cleanup: () => void };
beforeEach(async () => {
  core = await openTestCore();
  handlers = createHandlers(core);
  out = tempDir('inspector-export-');
  for (const model of ['a', 'b', 'a']) core.store.enqueue(makeRecord({ model }));
  await core.store.flush();
});
afterEach(async () => {
  await core.dispose();
  out.cleanup();
});

const base = { scope: 'all', filter: {}, includeBodies: true, includeHeaders: true } as const;

describe('exportDatabase over the real engine in its thread (no host override)', () => {
  it('exports the current filter when scope is filter, everything when all', async () => {
    const some = await handlers.exportDatabase({
      ...base,
      format: 'jsonl',
      scope: 'filter',
      filter: { model: ['a'] },
      destination: join(out.dir, 'a.jsonl'),
    });
    expect(some.rows).toBe(2);
    const all = await handlers.exportDatabase({
      ...base,
      format: 'jsonl',
      scope: 'all',
      filter: { model: ['a'] },
      destination: join(out.dir, 'all.jsonl'),
    });
    expect(all.rows).toBe(3);
    expect(readFileSync(all.path, 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('a failed export is an ApiError with a message fit for the UI; a relative path is invalid input', async () => {
    const failed = await handlers
      .exportDatabase({ ...base, format: 'csv', destination: join(out.dir, 'missing', 'x.csv') })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ApiError);
    expect(failed).toMatchObject({ code: 'unavailable', message: expect.stringContaining('folder does not exist') });
    const relative = await handlers
      .exportDatabase({ ...base, format: 'csv', destination: 'x.csv' })
      .catch((e: unknown) => e);
    expect(relative).toMatchObject({ code: 'invalid_input' });
    expect(readdirSync(out.dir)).toEqual([]);
  });

  it(
    'through the export thread, a folder that refuses ' + 'writes is permission denied, and nothing is left there',
    async () => {
      // sysfs refuses file creation for every user, root included: a real read-only folder.
      for (const format of ['sqlite', 'csv'] as const) {
        const failed = await handlers
          .exportDatabase({ ...base, format, destination: `/sys/inspector-api-export.${format}` })
          .catch((e: unknown) => e);
        expect(failed).toMatchObject({
          code: 'unavailable',
          message: expect.stringMatching(/^Cannot write \/sys\/inspector-api-export\.\w+: permission denied/),
        });
      }
      expect(readdirSync('/sys').filter((n) => n.includes('inspector'))).toEqual([]);
    },
  );
});
