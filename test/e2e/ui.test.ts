// The UI end to end: real headless Chromium against `npm run serve`, requests sent through the proxy
// by the official SDK clients to the fake upstream. Each step saves a screenshot of the view.
import Anthropic from '@anthropic-ai/sdk';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2e, type E2e } from './harness';

// Functions passed to page.evaluate/waitForFunction run in the page; the Node typecheck has no DOM
// types, so declare the little of the DOM they touch.
interface PageEl {
  textContent: string | null;
  scrollTop: number;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): PageEl[];
}
declare const document: {
  querySelector(s: string): PageEl | null;
  querySelectorAll(s: string): PageEl[];
  activeElement: PageEl | null;
};
declare const location: { hash: string };
declare const localStorage: { removeItem(key: string): void };

let e: E2e;
let openai: OpenAI;
let anthropic: Anthropic;

const behave = (b: Record<string, unknown>) => ({ headers: { 'x-fake-behaviour': JSON.stringify(b) } });

beforeAll(async () => {
  e = await startE2e();
  openai = new OpenAI({ baseURL: `${e.proxyUrl}/openai/v1`, apiKey: 'sk-test-not-a-real-key', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: `${e.proxyUrl}/anthropic`, apiKey: 'sk-ant-test-not-real', maxRetries: 0 });
}, 180_000);

afterAll(async () => {
  await e?.stop();
});

const rows = () => e.page.locator('[data-testid="request-list"] .list-row[data-key]');

/** WCAG contrast ratio of the first element matching `selector` against the first opaque background behind it. */
const contrastOf = (selector: string) =>
  e.page.evaluate(`(() => {
    const lum = (css) => {
      const [r, g, b] = css.match(/[\\d.]+/g).slice(0, 3).map((v) => { const c = Number(v) / 255; return c <=
        0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const el = document.querySelector(${JSON.stringify(selector)});
    let bg = 'rgb(255, 255, 255)';
    for (let n = el; n; n = n.parentElement) {
      const c = getComputedStyle(n).backgroundColor;
      if (!/, 0\\)$/.test(c)) { bg = c; break; }
    }
    const [hi, lo] = [lum(getComputedStyle(el).color), lum(bg)].sort((a, b) => b - a);
    return (hi + 0.05) / (lo + 0.05);
  })()`) as Promise<number>;

describe('renderer in Chromium', () => {
  it('shows the empty state with env lines built from the real proxy address', async () => {
    await e.page.waitForSelector('[data-testid="empty-state"]');
    const text = await e.page.locator('[data-testid="empty-state"]').innerText();
    expect(text).toContain(`OPENAI_BASE_URL=${e.proxyUrl}/openai/v1`);
    expect(text).toContain(`ANTHROPIC_BASE_URL=${e.proxyUrl}/anthropic`);
    await e.page.waitForSelector('[data-testid="statusbar"]');
    await e.screenshot('01-empty-state');
  });

  it('shows requests live as the SDK clients send them', async () => {
    for (let i = 0; i < 3; i++) {
      await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: `hello ${i}` }],
      });
    }
    await anthropic.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'hi' }],
    });
    await openai.chat.completions
      .create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'fail' }] },
        behave({ status: 500, errorMessage: 'upstream exploded' }),
      )
      .catch(() => undefined);
    await e.page.waitForFunction(
      () => document.querySelectorAll('[data-testid="request-list"] .list-row[data-key^="r"]').length === 5,
      null,
      { timeout: 10_000 },
    );
    const first = await rows().first().innerText();
    expect(first).toContain('500');
    expect(await e.page.locator('.list-row.error').count()).toBe(1);
    await e.page.waitForFunction(() => document.querySelector('[data-testid="stats"]')?.textContent?.includes('20%'));
    await e.screenshot('02-list-live');
  });

  it('keeps the stats strip in step with the live rows', async () => {
    // Two requests back to back: the second batch lands while the stats for the first are being
    // read, and the totals must still catch up with the rows promptly, not a throttle period later.
    for (let i = 0; i < 2; i++)
      await openai.chat.completions.create({
        model: 'gpt-4.1-nano',
        messages: [{ role: 'user', content: `stats ${i}` }],
      });
    await e.page.waitForFunction(
      () => document.querySelectorAll('[data-testid="request-list"] .list-row[data-key^="r"]').length === 7,
      null,
      { timeout: 10_000 },
    );
    await e.page.waitForFunction(
      () => document.querySelector('[data-testid="stats"] .stat .v')?.textContent === '7',
      null,
      { timeout: 800 },
    );
  });

  it('opens a request with fields, headers and a JSON body tree', async () => {
    await rows().filter({ hasText: 'claude-sonnet-4-6' }).first().dispatchEvent('mousedown');
    const detail = e.page.locator('[data-testid="detail"]');
    await detail.waitFor();
    expect(await detail.innerText()).toContain('claude-sonnet-4-6');
    await detail.getByRole('tab', { name: 'Request' }).click();
    await e.page.waitForSelector('.json .key');
    const body = await detail.innerText();
    expect(body).toContain('max_tokens');
    expect(body).not.toContain('sk-ant-test-not-real');
    await e.screenshot('03-detail-request');
    await detail.getByRole('button', { name: 'Raw', exact: true }).click();
    expect(await detail.locator('pre.code').innerText()).toContain('"max_tokens":50');
    await e.screenshot('03a-detail-request-raw');
    await detail.getByRole('button', { name: 'Tree', exact: true }).click();
    await e.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(e.uiUrl).origin });
    await detail.getByRole('button', { name: 'Copy as cURL' }).click();
    await e.page.waitForSelector('.toast');
    const curl = (await e.page.evaluate('navigator.clipboard.readText()')) as string;
    expect(curl).toContain(`curl -X POST '${e.proxyUrl}/anthropic/v1/messages'`);
    expect(curl).toContain('"authorization: Bearer $API_KEY"');
    expect(curl).not.toContain('redacted');
    expect(curl).toContain('"max_tokens":50');
  });

  it('reassembles a streamed message while it arrives and after it commits', async () => {
    // The list at full width (detail closed), where the Out column shows.
    await e.page.keyboard.press('Escape');
    await e.page.locator('[data-testid="detail"]').waitFor({ state: 'detached' });
    const reply = 'The quick brown fox jumps over the lazy dog again and again until the stream ends.';
    const stream = await anthropic.messages.create(
      { model: 'claude-haiku-4-5', max_tokens: 200, stream: true, messages: [{ role: 'user', content: 'tell me' }] },
      behave({ reply, chunkDelayMs: 150 }),
    );
    const live = e.page.locator('.list-row.inflight');
    await live.first().waitFor({ timeout: 10_000 });
    // Anthropic reports 1 output token at message_start and the real count only at the end: the
    // row's count still moves, estimated from the text so far and marked as such.
    const liveCount = () =>
      e.page.evaluate(() => document.querySelector('.list-row.inflight .live-count')?.textContent ?? '');
    await e.page.waitForFunction(
      () => /^~(?:[2-9]|[1-9]\d+)$/.test(document.querySelector('.list-row.inflight .live-count')?.textContent ?? ''),
      null,
      { timeout: 10_000 },
    );
    const early = Number((await liveCount()).slice(1));
    await e.page.waitForFunction(
      (n) => Number((document.querySelector('.list-row.inflight .live-count')?.textContent ?? '').slice(1)) > n,
      early,
      { timeout: 10_000 },
    );
    await e.screenshot('04a-stream-live-list');
    await live.first().dispatchEvent('mousedown');
    // Part of the message is visible before the stream has finished.
    await e.page.waitForFunction(
      () => (document.querySelector('[data-testid="assistant-message"]')?.textContent ?? '').split(' ').length >= 3,
      null,
      { timeout: 10_000 },
    );
    const partial = await e.page.locator('[data-testid="assistant-message"]').innerText();
    expect(reply.startsWith(partial.trim())).toBe(true);
    expect(partial.trim().length).toBeLessThan(reply.length);
    await e.screenshot('04-stream-live');
    for await (const _ of stream) void _;
    // The selection follows the request to its committed row, whose stored stream is reassembled.
    await e.page.waitForFunction(
      () => document.querySelector('.list-row[aria-selected="true"]')?.getAttribute('data-key')?.startsWith('r'),
      null,
      { timeout: 10_000 },
    );
    await e.page.waitForFunction(
      (r) => document.querySelector('[data-testid="assistant-message"]')?.textContent?.trim() === r,
      reply,
      { timeout: 10_000 },
    );
    await e.page.getByRole('tab', { name: /Stream \(\d+\)/ }).click();
    expect(await e.page.locator('[data-testid="sse-timeline"] .ev').count()).toBeGreaterThan(5);
    // One line per event, leading with the text it added; a click shows the whole event.
    const deltas = await e.page.locator('[data-testid="sse-timeline"] .ev .delta').allInnerTexts();
    expect(deltas.map((d) => JSON.parse(d) as string).join('')).toBe(reply);
    const event = e.page.locator('[data-testid="sse-timeline"] .ev', { hasText: 'fox' }).first();
    await event.locator('.data').click();
    expect(await event.getAttribute('aria-expanded')).toBe('true');
    await e.screenshot('05-stream-timeline');
  });

  it('filters by text and status, keeps the filter in the URL hash across reload', async () => {
    await e.page.keyboard.press('Escape');
    await e.page.keyboard.press('/');
    expect(await e.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Filter text');
    await e.page.keyboard.type('claude');
    await e.page.waitForFunction(() => document.querySelectorAll('.list-row[data-key]').length === 2);
    expect(await e.page.evaluate(() => location.hash)).toBe('#q=claude');
    await e.page.reload();
    await e.page.waitForFunction(() => document.querySelectorAll('.list-row[data-key]').length === 2);
    expect(await e.page.locator('input[aria-label="Filter text"]').inputValue()).toBe('claude');
    await e.page.locator('input[aria-label="Filter text"]').fill('');
    await e.page.getByRole('button', { name: '5xx' }).click();
    await e.page.waitForFunction(() => document.querySelectorAll('.list-row[data-key]').length === 1);
    expect(await rows().first().innerText()).toContain('500');
    // The status and time shortcuts write terms into the box; the time stays relative (`since:1h`).
    await e.page.locator('select[aria-label="Time range"]').selectOption('1h');
    await e.page.waitForFunction(() => location.hash === '#f=status%3A5xx+since%3A1h');
    await e.page.reload();
    await e.page.waitForFunction(() => document.querySelectorAll('.list-row[data-key]').length === 1);
    expect(await e.page.locator('select[aria-label="Time range"]').inputValue()).toBe('1h');
    await e.screenshot('06-filter-5xx');
    await e.page.getByRole('button', { name: 'Clear', exact: true }).click();
    await e.page.waitForFunction(() => document.querySelectorAll('.list-row[data-key]').length === 8);
    // A structured filter: the providers are offered once the user reaches for the list, and the
    // closed select names its field.
    const provider = e.page.locator('select[aria-label="Provider"]');
    await provider.focus();
    await e.page.waitForFunction(() => document.querySelectorAll('select[aria-label="Provider"] option').length === 3);
    await provider.selectOption('anthropic');
    await e.page.waitForFunction(() => document.querySelectorAll('.list-row[data-key]').length === 2);
    expect(
      await provider.evaluate((el: PageEl & { selectedOptions: PageEl[] }) => el.selectedOptions[0]?.textContent),
    ).toBe('Provider: anthropic');
    expect(await e.page.evaluate(() => location.hash)).toBe('#f=provider%3Aanthropic');
    await e.screenshot('06a-filter-provider');
    await provider.selectOption('');
    await e.page.waitForFunction(() => document.querySelectorAll('.list-row[data-key]').length === 8);
  });

  it('hides and reorders columns, and remembers the choice', async () => {
    const headers = () => e.page.locator('.list-head [role="columnheader"]').allInnerTexts();
    await e.page.getByRole('button', { name: 'Columns' }).click();
    await e.page.getByRole('menu').getByRole('checkbox', { name: 'Provider', exact: true }).uncheck();
    await e.page.getByRole('button', { name: 'Move Model left' }).click();
    await e.page.keyboard.press('Escape');
    expect((await headers()).map((h) => h.toLowerCase()).slice(0, 4)).toEqual(['time', 'model', 'request', 'policy']);
    await e.screenshot('07-columns');
    await e.page.reload();
    await e.page.locator('.list-head').waitFor();
    expect((await headers()).map((h) => h.toLowerCase())).not.toContain('provider');
    await e.page.getByRole('button', { name: 'Columns' }).click();
    await e.page.getByRole('button', { name: 'Reset' }).click();
    await e.page.locator('.brand').click();
    expect((await headers()).map((h) => h.toLowerCase()).slice(0, 3)).toEqual(['time', 'request', 'provider']);
  });

  it('moves the selection with the keyboard and opens with Enter', async () => {
    await e.page.locator('body').click({ position: { x: 5, y: 790 } });
    await e.page.keyboard.press('Escape');
    await e.page.keyboard.press('Escape');
    await e.page.keyboard.press('ArrowDown');
    await e.page.keyboard.press('ArrowDown');
    const keys = await rows().evaluateAll((els) => els.map((el) => el.getAttribute('data-key')));
    const sel = await e.page.locator('.list-row[aria-selected="true"]').getAttribute('data-key');
    expect(sel).toBe(keys[1]);
    expect(await e.page.locator('[data-testid="detail"]').count()).toBe(0);
    await e.page.keyboard.press('Enter');
    await e.page.locator('[data-testid="detail"]').waitFor();
    await e.page.keyboard.press('ArrowUp');
    expect(await e.page.locator('.list-row[aria-selected="true"]').getAttribute('data-key')).toBe(keys[0]);
    await e.page.keyboard.press('Escape');
    expect(await e.page.locator('[data-testid="detail"]').count()).toBe(0);
    await e.screenshot('07-keyboard');
  });

  it('resizes the detail pane by dragging its edge, and keeps the width across a reload', async () => {
    await rows().nth(1).dispatchEvent('mousedown');
    const detail = e.page.locator('[data-testid="detail"]');
    await detail.waitFor();
    const before = (await detail.boundingBox())!.width;
    const handle = (await e.page.getByRole('separator', { name: 'Resize the detail pane' }).boundingBox())!;
    await e.page.mouse.move(handle.x + handle.width / 2, handle.y + 100);
    await e.page.mouse.down();
    await e.page.mouse.move(handle.x + handle.width / 2 + 150, handle.y + 100, { steps: 5 });
    await e.page.mouse.up();
    const after = (await detail.boundingBox())!.width;
    expect(Math.abs(before - after - 150)).toBeLessThan(8);
    await e.screenshot('07b-detail-resized');
    await e.page.reload();
    await rows().nth(1).dispatchEvent('mousedown');
    await detail.waitFor();
    expect(Math.abs((await detail.boundingBox())!.width - after)).toBeLessThan(2);
    // Back to the default width, for the screenshots that follow.
    await e.page.evaluate(() => localStorage.removeItem('inspector.detailWidth'));
    await e.page.reload();
    await rows().first().waitFor();
  });

  it('keeps the rows the user is reading in place when new ones arrive, and counts them', async () => {
    const rowCount = () =>
      e.page.evaluate(() =>
        Number(document.querySelector('[data-testid="request-list"]')?.getAttribute('aria-rowcount')),
      );
    const start = await rowCount();
    for (let i = 0; i < 6; i++) {
      await Promise.all(
        Array.from({ length: 10 }, (_, j) =>
          openai.chat.completions.create({
            model: 'gpt-4o-mini',
            messages: [{ role: 'user', content: `bulk ${i}-${j}` }],
          }),
        ),
      );
    }
    // Every bulk row committed and shown, so none of them can arrive after the scroll and count as new.
    await e.page.waitForFunction(
      (n) =>
        Number(document.querySelector('[data-testid="request-list"]')?.getAttribute('aria-rowcount')) === n &&
        document.querySelectorAll('.list-row[data-key^="f"]').length === 0,
      start + 60,
    );
    // Scroll the way a user does and wait for the list to have handled that scroll event.
    await e.page.evaluate(`new Promise((resolve) => {
      const list = document.querySelector('[data-testid="request-list"]');
      list.addEventListener('scroll', () => requestAnimationFrame(() => resolve()), { once: true });
      list.scrollTop = 24 * 20;
    })`);
    // The key of the first row fully inside the list's viewport.
    const topKey = () =>
      e.page.evaluate(`(() => {
      const list = document.querySelector('[data-testid="request-list"]');
      const top = list.getBoundingClientRect().top;
      return [...list.querySelectorAll('.list-row[data-key]')].find((r) => r.getBoundingClientRect().top >= top
        - 1)?.getAttribute('data-key');
    })()`);
    const before = await topKey();
    await Promise.all(
      Array.from({ length: 3 }, (_, j) =>
        openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `late ${j}` }] }),
      ),
    );
    await e.page.getByRole('button', { name: /^\D*3 new$/ }).waitFor({ timeout: 10_000 });
    expect(await topKey()).toBe(before);
    await e.screenshot('08-new-pill');
    await e.page.getByRole('button', { name: /^\D*3 new$/ }).click();
    // A function: a string predicate is evaluated again at each poll, which the page's CSP refuses.
    await e.page.waitForFunction(() => document.querySelector('[data-testid="request-list"]')?.scrollTop === 0);
  });

  it('shows token ratios and updates them live', async () => {
    await e.page.getByRole('tab', { name: 'Token ratios' }).click();
    const table = e.page.locator('table[aria-label="Token ratios"]');
    await table.waitFor();
    const gptRow = table.locator('tr', { hasText: 'gpt-4o-mini' });
    const before = Number(await gptRow.locator('td').nth(2).innerText());
    expect(before).toBe(66);
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'one more' }] });
    await e.page.waitForFunction(
      () => {
        const tr = Array.from(document.querySelectorAll('table[aria-label="Token ratios"] tr')).find((r) =>
          r.textContent?.includes('gpt-4o-mini'),
        );
        return tr?.querySelectorAll('td')[2]?.textContent === '67';
      },
      null,
      { timeout: 10_000 },
    );
    await e.page.waitForSelector('[aria-label="Distribution of output/input ratios"] canvas');
    await e.screenshot('09-token-ratios');
  });

  it('shows settings validation errors from the server next to the field', async () => {
    await e.page.getByRole('tab', { name: 'Settings' }).click();
    const port = e.page.locator('#s-port');
    await port.waitFor();
    await port.fill('70000');
    await e.page.getByRole('button', { name: 'Save settings' }).click();
    const err = e.page.locator('[data-field="s-port"] .field-error');
    await err.waitFor();
    expect((await err.innerText()).length).toBeGreaterThan(3);
    await e.page.getByRole('button', { name: 'Add upstream' }).click();
    await e.page.getByLabel('Upstream 3 name').fill('bad name!');
    await e.page.getByLabel('Upstream 3 base URL').fill('ftp://nope');
    await port.fill('0');
    await e.page.getByRole('button', { name: 'Save settings' }).click();
    await e.page.waitForFunction(() => document.querySelectorAll('.upstream .upstream-error').length >= 2);
    // Each message names its field, and that field is marked.
    const upstreamErrors = await e.page.locator('.upstream .upstream-error').allInnerTexts();
    expect(upstreamErrors.some((t) => t.startsWith('Name: '))).toBe(true);
    expect(upstreamErrors.some((t) => t.startsWith('Base URL: '))).toBe(true);
    expect(await e.page.getByLabel('Upstream 3 name').getAttribute('aria-invalid')).toBe('true');
    expect(await e.page.getByLabel('Upstream 3 API key').getAttribute('aria-invalid')).toBe('false');
    await e.screenshot('10-settings-errors');
    // A port another program holds (the fake upstream's): said at the port field, in plain words.
    await e.page.getByRole('button', { name: 'Remove upstream 3' }).click();
    await port.fill(String(e.upstream.port));
    await e.page.getByRole('button', { name: 'Save settings' }).click();
    await e.page.waitForFunction(
      (p) =>
        document.querySelector('[data-field="s-port"] .field-error')?.textContent ===
        `Port ${p} is already in use by another program.`,
      e.upstream.port,
    );
    await e.screenshot('10a-settings-port-in-use');
    await e.page.getByRole('button', { name: 'Revert' }).click();
  });

  it('follows the OS dark theme', async () => {
    await e.page.emulateMedia({ colorScheme: 'dark' });
    await e.page.getByRole('tab', { name: 'Requests' }).click();
    await rows().nth(3).dispatchEvent('mousedown');
    await e.page.locator('[data-testid="detail"]').waitFor();
    const bg = await e.page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(bg).toBe('rgb(22, 24, 29)');
    await e.screenshot('11-dark');
    // Text on an accent fill (primary buttons, the "N new" pill) stays readable: WCAG AA's 4.5:1.
    await e.page.getByRole('button', { name: 'Export…' }).click();
    expect(await contrastOf('.dialog button.primary')).toBeGreaterThanOrEqual(4.5);
    await e.screenshot('11a-dark-dialog');
    await e.page
      .getByRole('dialog', { name: 'Export log' })
      .getByRole('button', { name: /Cancel|Close/ })
      .click();
    // Faint text (unknown values, help lines) is quieter than the rest, yet still readable, in both themes.
    await e.page.getByRole('tab', { name: 'Overview' }).click();
    const faint = '[data-testid="detail"] dd .faint';
    expect(await contrastOf(faint)).toBeGreaterThanOrEqual(4.5);
    await e.page.emulateMedia({ colorScheme: 'light' });
    expect(await contrastOf(faint)).toBeGreaterThanOrEqual(4.5);
  });

  it('redraws the latency sparkline while traffic keeps arriving', async () => {
    await e.page.keyboard.press('Escape');
    // A checksum of the chart's pixels, which changes when the line is redrawn with new points.
    // (Written out in both functions: the page's CSP forbids eval, so they can't share a string.)
    interface Canvas {
      width: number;
      height: number;
      getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
    }
    await e.page.waitForSelector('.stat-chart canvas');
    const before = await e.page.evaluate(() => {
      const c = document.querySelector('.stat-chart canvas') as unknown as Canvas;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let sum = 0;
      for (let i = 3; i < d.length; i += 4) sum = (sum * 31 + d[i]! * i) % 1000000007;
      return sum;
    });
    // Steady traffic, a request every 250 ms for 4 s: the chart must move while it lasts.
    let stop = false;
    const traffic = (async () => {
      for (let i = 0; i < 16 && !stop; i++) {
        await openai.chat.completions.create(
          { model: 'gpt-4.1-nano', messages: [{ role: 'user', content: `steady ${i}` }] },
          behave({ delayMs: 20 + 60 * (i % 4) }),
        );
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    try {
      await e.page.waitForFunction(
        (b) => {
          const c = document.querySelector('.stat-chart canvas') as unknown as Canvas;
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let sum = 0;
          for (let i = 3; i < d.length; i += 4) sum = (sum * 31 + d[i]! * i) % 1000000007;
          return sum !== b;
        },
        before,
        { timeout: 2500 },
      );
    } finally {
      stop = true;
      await traffic;
    }
  });

  it("shows a banner while the log database can't be written, and drops it once it can", async () => {
    // Another process holds SQLite's write lock: the writer's batches fail with SQLITE_BUSY and are retried.
    const db = new Database(join(e.dir, 'log.sqlite'));
    try {
      db.exec('BEGIN EXCLUSIVE');
      await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'while locked' }],
      });
      const banner = e.page.locator('.banner.error', { hasText: "The log database can't be written" });
      await banner.waitFor({ timeout: 15_000 });
      expect(await e.page.locator('[data-testid="statusbar"]').innerText()).toMatch(/writer retrying\s*· queued [1-9]/);
      // The request is over but not in the log: its row says so, not "live".
      await e.page.locator('.list-row.inflight', { hasText: 'logging…' }).waitFor();
      await e.screenshot('12a-banner-db-locked');
      db.exec('ROLLBACK');
      await banner.waitFor({ state: 'detached', timeout: 15_000 });
    } finally {
      db.close();
    }
  });

  it('exports with a clear message when export is unavailable, and clears the log after confirmation', async () => {
    await e.page.keyboard.press('Escape');
    await e.page.getByRole('button', { name: 'Export…' }).click();
    const dialog = e.page.getByRole('dialog', { name: 'Export log' });
    await dialog.getByPlaceholder('/absolute/path/export.sqlite').fill(`${e.dir}/export.sqlite`);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    // Either the export engine is there and reports what it wrote, or the server says why not.
    await dialog.locator('[role="status"], [role="alert"]').first().waitFor();
    await e.screenshot('12-export');
    await dialog.getByRole('button', { name: /Cancel|Close/ }).click();
    await e.page.getByRole('button', { name: 'Clear logs…' }).click();
    const confirm = e.page.getByRole('dialog', { name: 'Clear logs' });
    await confirm.getByRole('button', { name: 'Delete all requests' }).click();
    await confirm.getByRole('status').waitFor();
    expect(await confirm.getByRole('status').innerText()).toMatch(/^Deleted \d+ requests\.$/);
    await confirm.getByRole('button', { name: 'Close' }).click();
    await e.page.waitForSelector('[data-testid="empty-state"]');
  });
});
