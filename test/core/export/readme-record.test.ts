// The README's JSONL example is what users read instead of the code: it must be a record the
// export writes, field for field.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { EXCHANGE_COLUMNS, REQUEST_COLUMNS } from '../../../electron/core/contract/columns';

it("the README's JSONL record has exactly the exported fields, in order", () => {
  const readme = readFileSync('README.md', 'utf8');
  const example = /JSONL line is one\s+request[^`]*```json\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example).toBeDefined();
  const record = JSON.parse(example!.replace(/\n\s*/g, ''));
  expect(Object.keys(record)).toEqual([...REQUEST_COLUMNS.map((c) => c.name), 'exchange']);
  expect(Object.keys(record.exchange)).toEqual(EXCHANGE_COLUMNS.map((c) => c.name));
});
