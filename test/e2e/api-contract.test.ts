// The headless UI's API from inside real Chromium: the page served by `npm run serve` opens the
// contract's WebSocket (browser-set Origin, the token kept from the URL, the page's CSP) and
// every call answers; a bad call gets a typed error and the socket keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls, callNames } from '../../electron/core/contract/contract';
import { PAGE_CSP, PAGE_CSP_HEADER } from '../../electron/core/contract/csp';
import { startE2e, type E2e } from './harness';

// page.evaluate functions run in the page; the Node typecheck has no DOM types.
interface PageSocket {
  onopen: (() => void) | null;
  onerror: (() => void) | null;
  onmessage: ((ev: { data: string }) => void) | null;
  send(data: string): void;
  close(): void;
}
declare const WebSocket: new (url: string) => PageSocket;
declare const sessionStorage: { getItem(key: string): string | null };
declare const location: { host: string };
declare const document: {
  addEventListener(
    type: 'securitypolicyviolation',
    listener: (ev: { effectiveDirective: string }) => void,
    options: { once: boolean },
  ): void;
};

type Reply = { id: number; ok: boolean; value?: unknown; error?: { code: string; message: string } };

let e: E2e;

beforeAll(async () => {
  e = await startE2e();
}, 180_000);

afterAll(async () => {
  await e?.stop();
});

/** Valid input for each call (undefined: the call takes none). */
const VALID: Record<string, unknown> = {
  listRequests: { limit: 10 },
  getRequest: { id: 1 },
  getStats: { groupBy: 'model' },
  updateSettings: { captureMaxBytes: 1024 * 1024 },
  exportDatabase: { format: 'jsonl', destination: '/nonexistent/x.jsonl' },
  cancelExport: { jobId: 'none-running' },
  openDatabase: { path: '/nonexistent/x.sqlite' },
  closeDatabase: { id: 'db999' },
  clearLogs: { confirm: true, before: '2000-01-01T00:00:00.000Z' }, // deletes nothing: the other calls read the row
  diffRequests: { a: 1, b: 1 },
  getThread: { threadId: 1 },
  // Row 1 is the first turn of its thread: there is nothing to split, and the answer says so.
  editThread: { kind: 'split', requestId: 1 },
  // Row 1 is a first turn: no previous turn to read its cache against (null), and a one-turn account.
  getRequestCache: { id: 1 },
  getThreadCache: { threadId: 1 },
  resendPreview: { id: 1 },
  // Sent again through the proxy to the fake upstream: a second row, read by nothing here.
  resendRequest: { id: 1 },
  estimate: { inputTokens: 1000, model: 'gpt-4o-mini' },
};

describe('API contract from headless Chromium', () => {
  it('makes every call over the page-origin WebSocket', async () => {
    // One request through the proxy so getRequest({ id: 1 }) has a row to return.
    const res = await fetch(`${e.proxyUrl}/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    await e.page.waitForSelector('[data-testid="request-list"] .list-row[data-key]', { timeout: 10_000 });

    const frames: { id: number; call: string; input: unknown }[] = callNames.map((name, i) => ({
      id: i + 1,
      call: calls[name].channel,
      input: VALID[name],
    }));
    frames.push({ id: 100, call: 'requests:list', input: { limit: -1 } });
    frames.push({ id: 101, call: 'no:such-call', input: undefined });
    const replies = await e.page.evaluate(async (toSend) => {
      const token = sessionStorage.getItem('inspector.token');
      const ws = new WebSocket(`ws://${location.host}/api/ws?token=${encodeURIComponent(token ?? '')}`);
      const out: Reply[] = [];
      await new Promise<void>((resolve, reject) => {
        ws.onerror = () => reject(new Error('socket failed'));
        ws.onopen = () => toSend.forEach((f) => ws.send(JSON.stringify(f)));
        ws.onmessage = (ev) => {
          const frame = JSON.parse(ev.data) as Reply & { type: string };
          if (frame.type !== 'reply') return;
          out.push(frame);
          if (out.length === toSend.length) resolve();
        };
      });
      ws.close();
      return out;
    }, frames);

    const byId = new Map(replies.map((r) => [r.id, r]));
    const outcome = (name: string) => {
      const r = byId.get(callNames.indexOf(name as never) + 1);
      return r?.ok ? 'ok' : r?.error?.code;
    };
    // The export runs for real: its destination's folder doesn't exist, so it fails cleanly; so do
    // opening a file that isn't there and closing a viewer that was never opened.
    const failing: Record<string, string> = {
      exportDatabase: 'unavailable',
      openDatabase: 'not_found',
      closeDatabase: 'not_found',
      editThread: 'invalid_input',
    };
    const expected = Object.fromEntries(callNames.map((n) => [n, failing[n] ?? 'ok']));
    expect(Object.fromEntries(callNames.map((n) => [n, outcome(n)]))).toEqual(expected);
    expect(byId.get(callNames.indexOf('getRequest') + 1)?.value).toMatchObject({ id: 1, model: 'gpt-4o-mini' });
    expect(byId.get(100)?.error?.code).toBe('invalid_input');
    expect(byId.get(101)?.error?.code).toBe('unknown_call');
  });

  it('runs under the one page policy of contract/csp.ts, which refuses other origins', async () => {
    expect((await fetch(e.uiUrl)).headers.get('content-security-policy')).toBe(PAGE_CSP_HEADER);
    expect(await e.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(PAGE_CSP);
    // The WebSocket above was allowed by 'self'; the proxy's port is another origin.
    const violated = await e.page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (ev) => resolve(ev.effectiveDirective), { once: true });
          fetch(url).catch(() => undefined);
        }),
      e.proxyUrl,
    );
    expect(violated).toBe('connect-src');
  });
});
