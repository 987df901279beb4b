import { stringify } from 'csv-stringify/sync';
import type { ExportRow } from './row-pages';
import { harEntry, harHead, HAR_TAIL } from './har';
import { csvColumns, jsonRecord, type FormatOptions } from './records';

/** A text format as three pieces, so rows can be streamed between a fixed head and tail. */
export interface TextFormat {
  head: string;
  /** `index` is the number of rows already written: HAR needs it to place its commas. */
  encode(rows: readonly ExportRow[], index: number): string;
  tail: string;
}

/** JSON Lines: one object per request, named like the schema (see the README's JSONL record). */
function jsonl(options: FormatOptions): TextFormat {
  return {
    head: '',
    encode: (rows) => {
      let out = '';
      for (const row of rows) out += `${JSON.stringify(jsonRecord(row, options))}\n`;
      return out;
    },
    tail: '',
  };
}

/**
 * A text cell a spreadsheet would run as a formula (`=HYPERLINK(...)` in a model name or an error
 * message an upstream chose) gets a leading single quote, as OWASP's CSV-injection advice says:
 * Excel, LibreOffice and Sheets then show it as text. Cells that are numbers are left alone.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
export function neutralise(value: unknown): unknown {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * RFC 4180 CSV through csv-stringify: NULL is an empty field; text round-trips, formula-looking text quoted
 * (see neutralise).
 */
function csv(options: FormatOptions): TextFormat {
  const columns = csvColumns(options);
  return {
    head: stringify([columns.header]),
    encode: (rows) => stringify(rows.map((row) => columns.values(row).map(neutralise))),
    tail: '',
  };
}

function har(options: FormatOptions): TextFormat {
  return {
    head: harHead(),
    encode: (rows, index) =>
      rows.map((r, i) => (index + i > 0 ? ',' : '') + JSON.stringify(harEntry(r, options))).join(''),
    tail: HAR_TAIL,
  };
}

export type TextFormatName = 'jsonl' | 'csv' | 'har';

export function textFormat(name: TextFormatName, options: FormatOptions): TextFormat {
  switch (name) {
    case 'jsonl':
      return jsonl(options);
    case 'csv':
      return csv(options);
    case 'har':
      return har(options);
    default: {
      const never: never = name;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}
