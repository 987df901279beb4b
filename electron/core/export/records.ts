// What one exported request looks like, read from the column tables (contract/columns.ts): every
// field under its column name, so JSONL, CSV and HAR's `_inspector` match the schema a user would
// query. The exchange's columns follow when the export keeps headers or bodies.
import { EXCHANGE_COLUMNS, REQUEST_COLUMNS, type Column } from '../contract/columns';
import type { ExportRow } from './row-pages';

export interface FormatOptions {
  includeBodies: boolean;
  includeHeaders: boolean;
}

const exchangeColumns = (options: FormatOptions) =>
  EXCHANGE_COLUMNS.filter((c) => (c.part === 'headers' ? options.includeHeaders : options.includeBodies));

const fieldsOf = (columns: readonly Column[], source: object) => {
  const values = source as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const c of columns) out[c.name] = values[c.field];
  return out;
};

/** The request's own columns, JSON-typed (booleans stay booleans). */
export const rowRecord = (row: ExportRow): Record<string, unknown> => fieldsOf(REQUEST_COLUMNS, row);

/** A JSONL record: the row's columns, plus `exchange` with the kept exchange columns (headers as objects). */
export function jsonRecord(row: ExportRow, options: FormatOptions): Record<string, unknown> {
  const kept = exchangeColumns(options);
  return kept.length === 0 ? rowRecord(row) : { ...rowRecord(row), exchange: fieldsOf(kept, row.exchange) };
}

/** CSV has no types: booleans are 1/0 as SQLite stores them, headers their JSON text, NULL nothing. */
function csvValue(c: Column, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (c.type === 'boolean') return value ? 1 : 0;
  if (c.type === 'json') return JSON.stringify(value);
  return value;
}

/** A flat table: the row's columns, then the kept exchange columns, all under their column names. */
export function csvColumns(options: FormatOptions): { header: string[]; values(row: ExportRow): unknown[] } {
  const kept = exchangeColumns(options);
  return {
    header: [...REQUEST_COLUMNS, ...kept].map((c) => c.name),
    values: (row) => {
      const fields = row as unknown as Record<string, unknown>;
      const exchange = row.exchange as unknown as Record<string, unknown>;
      return [
        ...REQUEST_COLUMNS.map((c) => csvValue(c, fields[c.field])),
        ...kept.map((c) => csvValue(c, exchange[c.field])),
      ];
    },
  };
}
