// Far jumps in real Chromium against `serve`: dragging the list's scrollbar to the bottom of a log of
// thirty pages shows its oldest rows, and to the middle the rows there, newest first and sorted by a
// column; each jump is one far read of the server (requests:list with `skip`, read from the nearer
// end), not a walk through every page. The 1 000 000-row figures are bench/list-seek.ts's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLogStore } from '../../electron/core/storage';
import { makeRecord } from '../helpers/records';
import { startE2e, type E2e } from './harness';

const N = 6_000;
/** Each row's output tokens: every value from 1 to N once, in an order unrelated to time. */
const outputOf = (i: number) => ((i * 7_919) % N) + 1;

let e: E2e;

// The wait below runs in the page; the Node typecheck has no DOM types, so declare what it touches.
interface PageEl {
  textContent: string | null;
  scrollHeight: number;
  clientHeight: number;
}
declare const document: { querySelector(s: string): PageEl | null };

beforeAll(async () => {
  e = await startE2e({
    seed: async (db) => {
      const store = await openLogStore(db);
      const start = Date.UTC(2026, 0, 1);
      for (let i = 0; i < N; i++) {
        store.enqueue(
          makeRecord({
            correlationId: `jump-${i}`,
            timestamp: new Date(start + i * 1000).toISOString(),
            outputTokens: outputOf(i),
          }),
        );
      }
      await store.flush();
      await store.close();
    },
  });
  await e.page.locator('.list-row[data-key="r6000"]').waitFor({ timeout: 30_000 });
  // Until the stats answer, the list's height covers only the pages read so far, and "the bottom"
  // would be the end of those: the jumps below are from a list that knows its length.
  // A function, not a string: Playwright evaluates a function once and calls it at each poll, where a string is
  // evaluated at each poll, and the page's CSP (no 'unsafe-eval') refuses every evaluation after the first.
  await e.page.waitForFunction(
    (count) => {
      const list = document.querySelector('[data-testid="request-list"]');
      const stat = document.querySelector('[data-testid="stats"] .stat .v')?.textContent;
      return stat === count && list !== null && list.scrollHeight > 20 * list.clientHeight;
    },
    N.toLocaleString('en-US'),
    { timeout: 30_000 },
  );
}, 180_000);

afterAll(async () => {
  await e?.stop();
});

/** Ids of the rows the list shows in full, top to bottom, once no row in view is still loading. */
async function rowsInView(): Promise<number[] | null> {
  return (await e.page.evaluate(`(() => {
    const list = document.querySelector('[data-testid="request-list"]');
    const box = list.getBoundingClientRect();
    const head = list.querySelector('.list-head')?.getBoundingClientRect().bottom ?? box.top;
    const rows = [...list.querySelectorAll('.list-row')]
      .map((r) => ({ r, b: r.getBoundingClientRect() }))
      .filter(({ b }) => b.top >= head - 1 && b.bottom <= box.bottom + 1)
      .sort((x, y) => x.b.top - y.b.top);
    if (rows.length === 0 || rows.some(({ r }) => !r.hasAttribute('data-key'))) return null;
    return rows.map(({ r }) => Number(r.getAttribute('data-key').slice(1)));
  })()`)) as number[] | null;
}

/**
 * Drags the scrollbar to a fraction of its length, then waits until the rows drawn there are
 * consecutive in `order`: a frame may still show the rows of the order before a re-sort, which
 * the list replaces as soon as the new order's pages arrive.
 */
async function jumpTo(fraction: number, order?: number[]): Promise<number[]> {
  await e.page.evaluate(`(() => {
    const el = document.querySelector('[data-testid="request-list"]');
    el.scrollTop = Math.round((el.scrollHeight - el.clientHeight) * ${fraction});
    el.dispatchEvent(new Event('scroll'));
  })()`);
  const consecutive = (ids: number[]) => {
    if (!order) return true;
    const at = order.indexOf(ids[0]!);
    return ids.every((id, k) => order[at + k] === id);
  };
  let ids: number[] | null = null;
  await expect
    .poll(
      async () => {
        ids = await rowsInView();
        return ids !== null && consecutive(ids);
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  return ids!;
}

/** Ids 1..N oldest first; in the Out order (largest first), the id holding each rank. */
const byOutputDesc = Array.from({ length: N }, (_, i) => i + 1).sort((a, b) => outputOf(b - 1) - outputOf(a - 1));

describe('jumping far in the list', () => {
  it('shows the oldest rows at the bottom and the middle rows in the middle, newest first', async () => {
    const bottom = await jumpTo(1);
    expect(bottom.slice(-3)).toEqual([3, 2, 1]);
    expect(bottom).toEqual(bottom.map((_, k) => bottom[0]! - k));
    await e.screenshot('40-list-jump-bottom');

    const middle = await jumpTo(0.5);
    expect(middle).toEqual(middle.map((_, k) => middle[0]! - k));
    expect(Math.abs(middle[0]! - N / 2)).toBeLessThan(60);
  });

  it('does the same sorted by a column', async () => {
    await e.page.getByRole('button', { name: 'Out', exact: true }).click();
    await expect.poll(async () => (await rowsInView())?.[0]).toBe(byOutputDesc[0]);

    const bottom = await jumpTo(1, byOutputDesc);
    expect(bottom.slice(-3)).toEqual(byOutputDesc.slice(-3));
    const from = byOutputDesc.indexOf(bottom[0]!);
    expect(bottom).toEqual(byOutputDesc.slice(from, from + bottom.length));
    await e.screenshot('41-list-jump-bottom-sorted');

    const middle = await jumpTo(0.5, byOutputDesc);
    const at = byOutputDesc.indexOf(middle[0]!);
    expect(middle).toEqual(byOutputDesc.slice(at, at + middle.length));
    expect(Math.abs(at - N / 2)).toBeLessThan(60);
    expect(e.pageErrors()).toEqual([]);
  });
});
