// `llm-request-inspector mcp`: the log as Model Context Protocol tools over stdio, for coding agents.
// Read-only like the rest of the command line, and no more revealing than the UI: headers are as
// stored (secrets redacted before they were written), bodies are capped to fit a model's context
// with a note on how to read more. A bad argument is a tool error the model can read and fix;
// nothing an agent sends stops the server.
import { parseArgs } from 'node:util';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { parseQuery } from '../contract/filter-query';
import type { RequestDetail, RequestFilter, RequestRow, StatsGroupBy } from '../contract/model';
import { defaultDbPath } from '../paths';
import type { LogReader } from '../storage/open-readonly';
import { findRequest, findThread, listRows, openLog, UsageError } from './log-access';
import { estimateFromLog } from './estimate-command';
import { MAX_ESTIMATE_CHARS } from '../contract/estimate';
import { runReadOnlySql, SQL_MAX_ROWS } from './sql-query';
import { diffDetails, DIFF_REPORT_CAP, formatDiff } from './diff-report';

/** A body longer than this is cut, with a note: an agent's context is the scarce thing here. */
export const BODY_CAP = 8_000;
export const LIST_CAP = 200;
const SQL_ROWS = 200;

type ToolResult = { content: { type: 'text'; text: string }[]; isError?: boolean };

const text = (value: unknown): ToolResult => ({
  content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) }],
});
const toolError = (message: string): ToolResult => ({ content: [{ type: 'text', text: message }], isError: true });

class ToolInputError extends Error {}

function filterOf(q: string | undefined): RequestFilter {
  if (!q?.trim()) return {};
  const r = parseQuery(q);
  if (!r.ok) throw new ToolInputError(`filter: ${r.error.message}`);
  return { query: q };
}

/** The fields an agent reads in a list: the row minus byte counts and other rarely wanted detail. */
function brief(r: RequestRow) {
  return {
    id: r.id,
    correlationId: r.correlationId,
    timestamp: r.timestamp,
    method: r.method,
    path: r.path,
    provider: r.provider,
    model: r.model,
    policy: r.policy,
    status: r.status,
    success: r.success,
    streaming: r.streaming,
    errorMessage: r.errorMessage,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    cost: r.cost,
    latencyMs: r.latencyMs,
    ttfbMs: r.ttfbMs,
    finishReason: r.finishReason,
  };
}

function capBody(body: string | null, which: string, id: number): { body: string | null; note?: string } {
  if (body === null || body.length <= BODY_CAP) return { body };
  return {
    body: body.slice(0, BODY_CAP),
    note:
      `${which} cut at ${BODY_CAP} of ${body.length} characters; read the rest with sql: SELECT ` +
      `substr(${which === 'request body' ? 'request_body' : 'response_body'}, ` +
      `${BODY_CAP + 1}, ${BODY_CAP}) FROM request_bodies WHERE request_id = ${id}`,
  };
}

function detailFor(d: RequestDetail, includeBodies: boolean) {
  const { requestBody, responseBody, ...rest } = d.exchange;
  if (!includeBodies)
    return { ...d, exchange: { ...rest, bodies: 'not included: call get_request with include_bodies: true' } };
  const req = capBody(requestBody, 'request body', d.id);
  const res = capBody(responseBody, 'response body', d.id);
  const notes = [req.note, res.note].filter(Boolean);
  return {
    ...d,
    exchange: { ...rest, requestBody: req.body, responseBody: res.body },
    ...(notes.length ? { notes } : {}),
  };
}

/** Every tool's handler: argument mistakes and log errors become tool errors, never a crash. */
function guarded<A>(fn: (args: A) => Promise<ToolResult>) {
  return async (args: A): Promise<ToolResult> => {
    try {
      return await fn(args);
    } catch (e) {
      return toolError(e instanceof ToolInputError ? e.message : `error: ${(e as Error).message}`);
    }
  };
}

const FILTER_HELP =
  'Filter language: terms ANDed by default, OR, -term / NOT, parentheses. ' +
  'Fields: model:gpt-4o* provider:openai policy:summary id:<correlation id> ' +
  'status>=400 status:5xx cost>0.01 latency>2s ttfb>500ms tokens.in>10000 ' +
  'tokens.out<100 streaming success failed error:"rate limit" body:refund ' +
  '(bodies by words: body:refund* a prefix, body:"refund policy" a phrase) ' +
  'since:1h since:2026-12-01 until:2026-12-02 thread:<thread id>, or bare ' +
  'words searched in model, path, provider, policy, correlation id and error.';

export function createMcpServer(log: LogReader): McpServer {
  const server = new McpServer({ name: 'llm-request-inspector', version: '0.1.0' });

  server.registerTool(
    'list_requests',
    {
      description: `Logged LLM API requests that match a filter, newest first (no bodies). ${FILTER_HELP}`,
      inputSchema: {
        filter: z.string().max(4000).optional().describe('filter text; empty for all'),
        limit: z.number().int().min(1).max(LIST_CAP).optional().describe(`rows, default 20, at most ${LIST_CAP}`),
      },
    },
    guarded(async ({ filter, limit }) => {
      const rows = await listRows(log, filterOf(filter), limit ?? 20);
      return text(rows.length ? rows.map(brief) : 'no requests match');
    }),
  );

  server.registerTool(
    'get_request',
    {
      description:
        `One request by row id or correlation id: every column, headers (secrets ` +
        `redacted) and, on request, bodies (cut at ${BODY_CAP} characters each).`,
      inputSchema: {
        id: z.union([z.string().min(1).max(200), z.number().int().positive()]),
        include_bodies: z.boolean().optional(),
      },
    },
    guarded(async ({ id, include_bodies }) => {
      const d = await findRequest(log, String(id));
      if (!d) throw new ToolInputError(`no request ${id}`);
      return text(detailFor(d, include_bodies ?? false));
    }),
  );

  server.registerTool(
    'diff',
    {
      description:
        'Two requests compared (row ids or correlation ids, the earlier as a): system prompt, tools, parameters and ' +
        'messages aligned (changes inline as [-removed-]{+added+}, unchanged runs folded), both replies, and why ' +
        "b's prompt cache read less than a's prompt (a timestamp in the system prompt, a model switch…). " +
        `At most ${DIFF_REPORT_CAP} characters.`,
      inputSchema: {
        a: z.union([z.string().min(1).max(200), z.number().int().positive()]),
        b: z.union([z.string().min(1).max(200), z.number().int().positive()]),
      },
    },
    guarded(async ({ a, b }) => {
      const [da, db] = await Promise.all([findRequest(log, String(a)), findRequest(log, String(b))]);
      if (!da) throw new ToolInputError(`no request ${a}`);
      if (!db) throw new ToolInputError(`no request ${b}`);
      const r = await diffDetails(da, db);
      if (!r.ok) throw new Error(r.error);
      return text(formatDiff(r.diff));
    }),
  );

  server.registerTool(
    'thread',
    {
      description:
        'One conversation (thread) inferred from the traffic: ' +
        'its turns with tokens, cost, cache read/write and the gap ' +
        'since the previous turn, and what grouped them. id: the ' +
        'thread id (thread_id), or the row id of one of its requests.',
      inputSchema: { id: z.number().int().positive() },
    },
    guarded(async ({ id }) => {
      const view = await findThread(log, id);
      if (!view) throw new ToolInputError(`no thread ${id}`);
      return text(view);
    }),
  );

  server.registerTool(
    'search',
    {
      description:
        'Requests whose request or response body holds the ' +
        'words (whole words, any case, through the full-text index; ' +
        'several words are a phrase, a trailing * makes the last a prefix: refund*), or whose model, path, provider, ' +
        'policy, correlation id or error contains the text; newest first, at most 50.',
      inputSchema: { text: z.string().min(1).max(1000) },
    },
    guarded(async ({ text: needle }) => {
      const rows = await listRows(log, { text: needle, searchBodies: true }, 50);
      return text(rows.length ? rows.map(brief) : `nothing contains "${needle}"`);
    }),
  );

  server.registerTool(
    'stats',
    {
      description:
        `Totals (requests, errors, tokens, cost, latency p50/p95) of the requests ` +
        `matching a filter, optionally per model, provider or policy. ${FILTER_HELP}`,
      inputSchema: { filter: z.string().max(4000).optional(), by: z.enum(['model', 'provider', 'policy']).optional() },
    },
    guarded(async ({ filter, by }) => text(await log.getStats(filterOf(filter), (by ?? null) as StatsGroupBy | null))),
  );

  server.registerTool(
    'token_ratios',
    {
      description:
        'Learned output/input token ratios per (policy, model) over successful requests: mean, spread, sample count.',
      inputSchema: {},
    },
    guarded(async () => text(await log.getTokenRatios())),
  );

  server.registerTool(
    'estimate',
    {
      description:
        'Before sending a request: its input tokens, and output tokens and cost (p50/p90/p99) learned ' +
        'from the logged requests of the same policy and model (falling back to the model, then to all ' +
        'requests, and saying so). Give exactly one of prompt, body (a request body in the ' +
        'OpenAI chat/Responses, Anthropic, Gemini or Ollama format), input_tokens or request_id.',
      inputSchema: {
        prompt: z.string().max(MAX_ESTIMATE_CHARS).optional(),
        body: z.union([z.record(z.string(), z.unknown()), z.string().max(MAX_ESTIMATE_CHARS)]).optional(),
        path: z.string().max(2000).optional().describe('the API path the body is for, e.g. /v1/messages'),
        input_tokens: z.number().int().min(0).optional(),
        request_id: z.number().int().positive().optional().describe('a logged request to estimate again'),
        model: z.string().max(256).optional(),
        models: z.array(z.string().max(256)).max(50).optional().describe('more models to compare'),
        policy: z.string().max(256).optional(),
        compare: z.boolean().optional().describe('also every model with enough samples under the policy'),
      },
    },
    guarded(async ({ input_tokens, request_id, ...rest }) => {
      try {
        return text(await estimateFromLog(log, { ...rest, inputTokens: input_tokens, requestId: request_id }));
      } catch (e) {
        throw e instanceof UsageError ? new ToolInputError(e.message) : e;
      }
    }),
  );

  server.registerTool(
    'sql',
    {
      description:
        `One read-only SQL statement over the log (tables requests, exchanges, ` +
        `token_ratios, stats_hourly; bodies as captured in the view request_bodies). ` +
        `Writes are refused; at most ${SQL_ROWS} rows; 10 s.`,
      inputSchema: { query: z.string().min(1).max(20_000) },
    },
    guarded(async ({ query }) => {
      const a = await runReadOnlySql(log.readPath, query, { maxRows: Math.min(SQL_ROWS, SQL_MAX_ROWS) });
      if (!a.ok) throw new ToolInputError(a.error);
      return text({
        columns: a.columns,
        rows: a.rows,
        ...(a.truncated ? { note: `stopped at ${a.rows.length} rows: add LIMIT/OFFSET to page` } : {}),
      });
    }),
  );

  return server;
}

/** Serves until stdin closes (the client went away). */
export async function runMcpServer(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { db: { type: 'string' } }, strict: true });
  const log = await openLog(values.db ?? defaultDbPath());
  const server = createMcpServer(log);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
  await server.connect(transport);
  process.stdin.once('end', () => void server.close());
  await closed;
  await log.close();
}
