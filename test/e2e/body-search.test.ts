// `body:` in Chromium against `serve`: bodies searched by words through the full-text index, and
// the live list agreeing with the server. The page can't see bodies, so a row arriving under a
// body filter is shown once the server has said it matches, and a row that doesn't is never shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2e, type E2e } from './harness';

declare const document: { querySelectorAll(s: string): { length: number } };

let e: E2e;

async function send(content: string, reply = 'ok') {
  const res = await fetch(`${e.proxyUrl}/openai/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-fake-behaviour': JSON.stringify({ reply }) },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }),
  });
  await res.text();
}

beforeAll(async () => {
  e = await startE2e();
  await send('please refund my order');
  await send('hello there', 'Refunds are handled by billing.');
  await send('nothing about money');
}, 180_000);

afterAll(async () => {
  await e?.stop();
});

const box = () => e.page.locator('input[aria-label="Filter text"]');
const rowCount = (n: number) =>
  e.page.waitForFunction((n) => document.querySelectorAll('.list-row[data-key]').length === n, n);
const rows = () => e.page.locator('.list-row[data-key]').count();

describe('body: in the filter box', () => {
  it('matches whole words, prefixes and phrases in either body', async () => {
    await rowCount(3);
    await box().fill('body:refund');
    await rowCount(1);
    await box().fill('body:refund*');
    await rowCount(2);
    await box().fill('body:"refund my order"');
    await rowCount(1);
    await box().fill('body:"order my refund"');
    await rowCount(0);
    await box().fill('-body:refund*');
    await rowCount(1);
  });

  it('live: a new row is shown when its body matches, and only then', async () => {
    await box().fill('body:refund*');
    await rowCount(2);
    await send('no match here');
    await send('another refund request');
    await rowCount(3);
    // The row without the word never shows, also after a reload (what the server says).
    expect(await rows()).toBe(3);
    await e.screenshot('body-search-live');
    await e.page.reload();
    await rowCount(3);
    expect(e.pageErrors()).toEqual([]);
  });
});
