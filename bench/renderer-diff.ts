// Long tasks while the production page shows a large diff (issue 18: "large bodies stay
// responsive, no long task over 100 ms"). Two requests of about 2 MB each, 500 messages apiece,
// go through the proxy of the built `serve` to the fake upstream; the second edits every 25th
// message in a few places and rewrites long stretches of five 30 kB messages, so the diff carries
// many changed texts with character-level spans. In Chromium, the page opens the diff (select one
// row, Ctrl-click the other), scrolls it to the end a step per frame, unfolds every run of unchanged
// messages one click a frame and scrolls again, ROUNDS times; a
// PerformanceObserver for 'longtask' records every task over 50 ms meanwhile.
// Run: node scripts/build.mjs && node scripts/run-bundled.mjs bench/renderer-diff.ts (BENCH_TRACE=file.json traces)
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startFakeUpstream } from '../test/helpers/fake-upstream';
import { startServeProcess } from './serve-process';
import { startTrace, summarizeTrace } from './renderer-trace';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const INSTRUMENT = `
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries())
    window.__longTasks.push({ start: e.startTime, duration: e.duration }); })
    .observe({ type: 'longtask', buffered: true });
`;

/** A deterministic stream of words: the same bodies every run. */
function words(seed: number) {
  const vocab = 'the a cache prefix token model turn thread agent tool call result search file line error value'.split(
    ' ',
  );
  let s = seed >>> 0;
  return (n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      out.push(vocab[s % vocab.length]!);
    }
    return out.join(' ');
  };
}

function bodies(): [string, string] {
  const w = words(18);
  const system = `You are a coding agent. ${w(800)}`;
  const texts: string[] = [];
  for (let i = 0; i < 500; i++) texts.push(w(i % 100 === 7 ? 5000 : 680));
  const edited = texts.map((t, i) => {
    if (i % 100 === 7) {
      // A long text rewritten in stretches: a character diff with many spans.
      const parts = t.split(' ');
      for (let k = 0; k < parts.length; k += 40) parts.splice(k, 3, 'rewritten', 'stretch', String(k));
      return parts.join(' ');
    }
    if (i % 25 === 3) return t.replace(/ cache /g, ' CACHE ').replace(/ tool /, ' tool-x ');
    return t;
  });
  const body = (ts: string[]) =>
    JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: system },
        ...ts.map((content, i) => ({ role: i % 2 ? 'assistant' : 'user', content })),
      ],
    });
  return [body(texts), body(edited)];
}

function send(proxyUrl: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${proxyUrl}/openai/v1/chat/completions`,
      { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' } },
      (res) => res.resume().on('end', resolve).on('error', reject),
    );
    req.on('error', reject);
    req.end(body);
  });
}

const dir = mkdtempSync(join(tmpdir(), 'bench-diff-'));
const upstream = await startFakeUpstream();
const s = await startServeProcess([
  '--db',
  join(dir, 'log.sqlite'),
  '--config',
  join(dir, 'settings.json'),
  '--upstream',
  `openai=${upstream.url}`,
]);
const [a, b] = bodies();
console.log(
  `bodies: ${(a.length / 1e6).toFixed(2)} MB and ${(b.length / 1e6).toFixed(2)} MB, 501 messages each; ` +
    `load before ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
);
await send(s.proxyUrl, a);
await send(s.proxyUrl, b);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
  await ctx.addInitScript(INSTRUMENT);
  const page = await ctx.newPage();
  await page.goto(s.uiUrl);
  const rows = page.locator('[data-testid="request-list"] .list-row[data-key^="r"]');
  await rows.nth(1).waitFor({ timeout: 30_000 });
  const PHASES = [
    'select the first row (its detail)',
    'open the diff',
    'scroll it',
    'unfold every run',
    'scroll again',
  ];
  const worst = new Map<string, number[]>(PHASES.map((p) => [p, []]));
  const over100 = new Map<string, number>(PHASES.map((p) => [p, 0]));
  const shownMs: number[] = [];
  const frames = 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))';
  // Each phase starts with a mark, so a trace's tasks can be placed in their phase.
  let phase = 0;
  const now = async () =>
    (await page.evaluate(`performance.mark('phase:${PHASES[phase++ % PHASES.length]}').startTime`)) as number;
  const scroll = `(async () => {
    const el = document.querySelector('[data-testid="diff"] .detail-body');
    for (let y = 0; y <= el.scrollHeight; y += 400) {
      el.scrollTop = y;
      await new Promise((r) => requestAnimationFrame(r));
    }
  })()`;
  // BENCH_TRACE=file.json: a Chromium trace of every round, each long task's thread CPU beside its wall time.
  const trace = process.env.BENCH_TRACE ? await startTrace(await browser.newBrowserCDPSession()) : null;
  for (let r = 0; r < ROUNDS; r++) {
    await page.evaluate('window.__longTasks = []');
    const starts: number[] = [await now()];
    await rows.nth(1).dispatchEvent('mousedown');
    await page.locator('[data-testid="detail"] [data-testid="conversation"]').waitFor({ timeout: 60_000 });
    await page.evaluate(frames);
    starts.push(await now());
    await rows.nth(0).dispatchEvent('mousedown', { ctrlKey: true });
    await page.locator('[data-testid="diff-summary"]').waitFor({ timeout: 60_000 });
    await page.evaluate(frames);
    starts.push(await now());
    shownMs.push(starts[2]! - starts[1]!);
    await page.evaluate(scroll);
    starts.push(await now());
    // One run at a time, as a user unfolds them: a click, then the frame it paints.
    await page.evaluate(`(async () => {
      for (let b; (b = document.querySelector('[data-testid="diff"] button.diff-fold')); ) {
        b.click();
        await ${frames};
      }
    })()`);
    starts.push(await now());
    await page.evaluate(scroll);
    await page.evaluate('new Promise((r) => setTimeout(r, 300))');
    const tasks = (await page.evaluate('window.__longTasks')) as { start: number; duration: number }[];
    PHASES.forEach((p, i) => {
      const mine = tasks.filter((x) => x.start >= starts[i]! && (i + 1 >= starts.length || x.start < starts[i + 1]!));
      worst.get(p)!.push(Math.max(0, ...mine.map((x) => x.duration)));
      over100.set(p, over100.get(p)! + mine.filter((x) => x.duration > 100).length);
    });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="diff"]').waitFor({ state: 'detached' });
  }
  if (trace) {
    const events = await trace.stop(process.env.BENCH_TRACE!);
    console.log(summarizeTrace(events));
    // The phases' marks on the same clock as summarizeTrace's "@ms" (the renderer main thread's first event).
    const marks = events.filter((e) => e.name.startsWith('phase:'));
    const main = events.filter(
      (e) => e.ph === 'X' && e.dur !== undefined && marks.some((m) => m.pid === e.pid && m.tid === e.tid),
    );
    const t0 = Math.min(...main.map((e) => e.ts));
    console.log(`  phases: ${marks.map((m) => `${m.name.slice(6)} @${((m.ts - t0) / 1000).toFixed(0)}`).join(', ')}`);
  }
  const shown = [...shownMs].sort((x, y) => x - y);
  console.log(
    `${ROUNDS} rounds; the diff shown ${shown[Math.floor(ROUNDS / 2)]!.toFixed(0)} ms after the click (median)`,
  );
  for (const p of PHASES)
    console.log(
      `  ${p}: longest task per round ${worst
        .get(p)!
        .map((m) => m.toFixed(0))
        .join(', ')} ms; over 100 ms: ${over100.get(p)}`,
    );
  console.log(
    `load after ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await browser.close();
  s.child.kill('SIGTERM');
  await new Promise((r) => s.child.once('exit', r));
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
}
