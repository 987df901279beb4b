/** What the read-only SQL thread is given and answers (see sql-worker.ts). */
export interface SqlJob {
  file: string;
  query: string;
  /** Rows returned at most; one more is read to tell whether there were more. */
  maxRows: number;
}

export type SqlAnswer =
  { ok: true; columns: string[]; rows: Record<string, unknown>[]; truncated: boolean } | { ok: false; error: string };
