// Input schemas of the API contract: everything arriving over IPC or WebSocket is `unknown`
// until one of these parses it. Bounds here are deliberate limits, not validation of taste:
// they keep one bad call from making the store scan or allocate without end.
import { z } from 'zod';
import { SORT_KEYS } from './sort-keys';
import { parseQuery } from './filter-query';
import {
  SORT_COLUMNS,
  type Cursor,
  type ListSort,
  type RequestFilter,
  type SortCursor,
  type StatsGroupBy,
} from './model';

const isoTimestamp = z.iso.datetime({ offset: true });
const shortText = z.string().max(1_000);
const list = <T extends z.ZodType>(item: T) => z.array(item).max(200);

/** Filter text that parses; a mistake is reported with its column and what was expected there. */
export const filterQuery = z
  .string()
  .max(4_000)
  .superRefine((text, ctx) => {
    const r = parseQuery(text);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error.message });
  });

export const requestFilterSchema = z.strictObject({
  query: filterQuery.optional(),
  text: shortText.optional(),
  searchBodies: z.boolean().optional(),
  since: isoTimestamp.optional(),
  until: isoTimestamp.optional(),
  model: list(shortText).optional(),
  provider: list(shortText).optional(),
  policy: list(shortText.nullable()).optional(),
  statusClass: list(
    z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
  ).optional(),
  success: z.boolean().optional(),
  streaming: z.boolean().optional(),
  minCost: z.number().finite().nonnegative().optional(),
  minLatencyMs: z.number().finite().nonnegative().optional(),
  correlationId: shortText.optional(),
}) satisfies z.ZodType<RequestFilter>;

export const cursorSchema = z.strictObject({
  timestamp: isoTimestamp,
  id: z.number().int().nonnegative(),
}) satisfies z.ZodType<Cursor>;

const rowId = z.number().int().positive();

/**
 * Which log a read call reads: the id `db:open` returned for a database opened read-only beside
 * the live one. Absent: the live log.
 */
export const sourceId = z.string().regex(/^db\d{1,9}$/, 'must be an id returned by db:open');
const source = sourceId.optional();
/** Names one export so its progress events can be told apart and it can be cancelled. Chosen by the caller. */
export const exportJobId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -');

export const noInput = z.undefined();

export const sortCursorSchema = z.strictObject({
  value: z.union([z.string().max(100_000), z.number().finite(), z.null()]),
  id: z.number().int().nonnegative(),
}) satisfies z.ZodType<SortCursor>;

export const listSortSchema = z.strictObject({
  column: z.enum(SORT_COLUMNS),
  dir: z.enum(['asc', 'desc']),
}) satisfies z.ZodType<ListSort>;

// prefault({}) (not default): the empty object is parsed, so the inner defaults apply and
// `listRequests()` with no argument means "first page, no filter".
// A cursor only means something in the order that produced it: a time cursor for time order,
// a { value, id } cursor holding a value of the sort column's type otherwise.
export const listRequestsInput = z
  .strictObject({
    filter: requestFilterSchema.default({}),
    /** Absent: newest first. */
    sort: listSortSchema.optional(),
    cursor: z.union([cursorSchema, sortCursorSchema]).nullable().default(null),
    limit: z.number().int().min(1).max(1_000).default(100),
    /** Rows passed over after `cursor` before the page starts: a far scroll position in one call. */
    skip: z.number().int().min(0).max(1_000_000_000).default(0),
    source,
  })
  .superRefine(({ sort, cursor }, ctx) => {
    if (cursor === null) return;
    if (!sort || sort.column === 'time') {
      if (!('timestamp' in cursor))
        ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'a time-ordered list pages with { timestamp, id }' });
      return;
    }
    const kind = SORT_KEYS[sort.column].kind;
    if (!('value' in cursor))
      ctx.addIssue({
        code: 'custom',
        path: ['cursor'],
        message: `a list sorted by ${sort.column} pages with { value, id }`,
      });
    else if (cursor.value !== null && typeof cursor.value !== (kind === 'text' ? 'string' : 'number')) {
      ctx.addIssue({
        code: 'custom',
        path: ['cursor', 'value'],
        message: `${sort.column} values are ${kind === 'text' ? 'strings' : 'numbers'}`,
      });
    }
  })
  .prefault({});

export const getRequestInput = z.strictObject({ id: rowId, source });

/** A thread by its id (the id of its first request). */
export const getThreadInput = z.strictObject({ threadId: rowId, source });

/** The grouped list: threads with a request matching the filter, most recently active first. */
export const listThreadsInput = z
  .strictObject({
    filter: requestFilterSchema.default({}),
    cursor: z
      .strictObject({ lastAt: z.string().max(64), threadId: rowId })
      .nullable()
      .default(null),
    limit: z.number().int().min(1).max(500).default(100),
    source,
  })
  .prefault({});

/** A request's prompt cache read against the previous turn of its thread. */
export const getRequestCacheInput = z.strictObject({ id: rowId, source });

/** Every turn of a thread read against the one before it, and the thread's cache account. */
export const getThreadCacheInput = getThreadInput;

/** The user's correction of the live log's threads: a request starts a thread of its own, or a thread joins another. */
export const editThreadInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('split'), requestId: rowId }),
  z.strictObject({ kind: z.literal('merge'), threadId: rowId, intoId: rowId }),
]);

/** Two logged requests of the same log, compared: `a` the earlier side, `b` the later. */
export const diffRequestsInput = z.strictObject({ a: rowId, b: rowId, source });

/** Resend reads and sends on the live log only: a read-only viewer's rows are not ours to send. */
export const resendPreviewInput = z.strictObject({ id: rowId });

export const resendRequestInput = z.strictObject({
  id: rowId,
  /** The edited body (Edit and resend); absent: the stored body as it was. Bounded by the transport too. */
  body: z
    .string()
    .max(32 * 1024 * 1024)
    .optional(),
  /** A key for this one send, when the upstream has none in settings: used for the call, never stored. */
  apiKey: z
    .string()
    .min(1)
    .max(4_096)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional(),
});

export const getStatsInput = z
  .strictObject({
    filter: requestFilterSchema.default({}),
    groupBy: z
      .enum(['model', 'provider', 'policy'] satisfies StatsGroupBy[])
      .nullable()
      .default(null),
    source,
  })
  .prefault({});

export const getTokenRatiosInput = z.strictObject({ source }).prefault({});

/** Opens a log database read-only beside the live one. `path` omitted: the host asks (Electron's open dialog). */
export const openDatabaseInput = z
  .strictObject({
    path: z.string().min(1).max(4_096).optional(),
  })
  .prefault({});

export const closeDatabaseInput = z.strictObject({ id: sourceId });

export const cancelExportInput = z.strictObject({ jobId: exportJobId });

/** Issue 5: what to export, how, and where. */
export const exportDatabaseInput = z.strictObject({
  format: z.enum(['sqlite', 'jsonl', 'csv', 'har']),
  /** 'filter' exports the rows of `filter` only; 'all' the whole log. */
  scope: z.enum(['all', 'filter']).default('all'),
  filter: requestFilterSchema.default({}),
  includeBodies: z.boolean().default(true),
  includeHeaders: z.boolean().default(true),
  /**
   * Absolute file path. Omitted: the host asks the user (a native save dialog in Electron);
   * a host that can't ask (the headless server) answers invalid_input.
   */
  destination: z.string().min(1).max(4_096).optional(),
  /** Export from a database opened with db:open instead of the live log. */
  source,
  /** Progress events (export:progress) carry it; export:cancel takes it. */
  jobId: exportJobId.optional(),
});

/** Issue 5: "Clear logs" with confirmation: the literal `true` must be sent on purpose. */
export const clearLogsInput = z.strictObject({
  confirm: z.literal(true),
  /** Only rows older than this; omitted clears everything. */
  before: isoTimestamp.optional(),
});

export type ListRequestsInput = z.input<typeof listRequestsInput>;
export type ExportDatabaseInput = z.input<typeof exportDatabaseInput>;
export type ClearLogsInput = z.input<typeof clearLogsInput>;
