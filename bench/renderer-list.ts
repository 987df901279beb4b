// Renderer benchmark (issue 4) in real Chromium against the headless server:
//   1. first rows painted after opening a 1 000 000-row log (target < 1 s);
//   2. scrolling the list from top to bottom: frame times and long tasks (target: frames < 50 ms),
//      then the same at reading speed mid-list, then that the bottom of the scrollbar shows the
//      oldest request, and how soon after the jump;
//   3. requests finishing one by one: how soon the row completes (target: within 250 ms);
//   4. 200 requests/s arriving through the proxy for 10 s: long tasks (target: none > 100 ms).
// Run: node scripts/run-bundled.mjs bench/renderer-list.ts [rows]   (after `npm run build`)
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { chromium } from 'playwright-core';
import { startFakeUpstream } from '../test/helpers/fake-upstream';
import { measureCompletion } from './renderer-complete';
import { seedLog } from './seed-log';
import { startTrace, summarizeTrace } from './renderer-trace';
import { startServeProcess } from './serve-process';

const ROWS = Number(process.argv[2] ?? 1_000_000);
async function serve(db: string, upstreamUrl: string, dir: string) {
  return startServeProcess(['--db', db, '--config', join(dir, 'settings.json'), '--upstream', `openai=${upstreamUrl}`]);
}

// Installed before any page script: long tasks and the first painted row.
const INSTRUMENT = `
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push({ start:
    e.startTime, duration: e.duration }); })
    .observe({ type: 'longtask', buffered: true });
  window.__firstRow = null;
  // Where the first second goes: socket opened, each call sent and answered (by the reply's id).
  window.__ws = [];
  const NativeWS = window.WebSocket;
  window.WebSocket = class extends NativeWS {
    constructor(...args) {
      super(...args);
      window.__ws.push(['new', performance.now()]);
      this.addEventListener('open', () => window.__ws.push(['open', performance.now()]));
      this.addEventListener('message', (ev) => {
        const m = /^\\{"type":"reply","id":(\\d+)/.exec(String(ev.data));
        if (m) window.__ws.push(['reply', performance.now(), Number(m[1]), String(ev.data).length]);
      });
    }
    send(data) {
      try { const f = JSON.parse(data); window.__ws.push(['send', performance.now(), f.id, f.call]); } catch {}
      super.send(data);
    }
  };
  const mo = new MutationObserver(() => {
    if (window.__firstRow === null && document.querySelector('.list-row[data-key]')) {
      mo.disconnect();
      requestAnimationFrame(() => requestAnimationFrame(() => { window.__firstRow = performance.now(); }));
    }
  });
  document.addEventListener('DOMContentLoaded', () => mo.observe(document.body, { subtree: true, childList: true }));
`;

// Scrolls the list top to bottom in steps, one step per frame, recording every frame's duration
// and whether the rows it drew were loaded ones (a frame of "loading…" rows is cheaper to draw).
const SCROLL = `(async (steps) => {
  const el = document.querySelector('[data-testid="request-list"]');
  const frames = [];
  let loadedFrames = 0;
  let last = performance.now();
  const t0 = last;
  for (let i = 1; i <= steps; i++) {
    el.scrollTop = (el.scrollHeight - el.clientHeight) * (i / steps);
    await new Promise((r) => requestAnimationFrame(r));
    const now = performance.now();
    frames.push(now - last);
    last = now;
    if (el.querySelector('.list-row[data-key]')) loadedFrames++;
  }
  return { frames, loadedFrames, t0, t1: performance.now(), rows: Number(el.getAttribute('aria-rowcount')),
    atBottom: el.scrollTop + el.clientHeight >= el.scrollHeight - 2 };
})`;

// Scrolls at reading speed from the middle of the list, where pages are read as the rows come
// into view: every frame draws loaded rows (the drag above mostly draws "loading…" ones).
const WHEEL = `(async (steps, px) => {
  const el = document.querySelector('[data-testid="request-list"]');
  el.scrollTop = Math.floor((el.scrollHeight - el.clientHeight) / 2);
  // Starts once the rows there have been read (the jump's own far read is not part of it).
  const box = el.getBoundingClientRect();
  const loaded = () => [...el.querySelectorAll('.list-row')].every((r) => {
    const b = r.getBoundingClientRect();
    return b.bottom <= box.top || b.top >= box.bottom || r.hasAttribute('data-key');
  });
  await new Promise((resolve) => requestAnimationFrame(resolve));
  await new Promise((resolve) => { const check = () => (loaded() ? resolve() : requestAnimationFrame(check));
    check(); });
  const frames = [];
  let skeletonFrames = 0;
  let last = performance.now();
  const t0 = last;
  for (let i = 1; i <= steps; i++) {
    el.scrollTop += px;
    await new Promise((r) => requestAnimationFrame(r));
    const now = performance.now();
    frames.push(now - last);
    last = now;
    if (el.querySelector('.list-row.skeleton')) skeletonFrames++;
  }
  return { frames, skeletonFrames, t0, t1: performance.now() };
})`;

// The opening, in page time: script loaded, socket open, each call answered.
const BREAKDOWN = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const js = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.js')).map((e) => 'js ' +
    e.responseEnd.toFixed(0));
  const out = ['html ' + nav.responseEnd.toFixed(0), ...js, 'dcl ' + nav.domContentLoadedEventEnd.toFixed(0)];
  const names = {};
  for (const e of window.__ws) {
    if (e[0] === 'send') names[e[2]] = e[3];
    if (e[0] === 'new' || e[0] === 'open') out.push('ws-' + e[0] + ' ' + e[1].toFixed(0));
    if (e[0] === 'send' && e[1] < window.__firstRow) out.push('> ' + e[3] + ' ' + e[1].toFixed(0));
    if (e[0] === 'reply' && e[1] < window.__firstRow + 2000) out.push('< ' + names[e[2]] + ' ' +
      e[1].toFixed(0) + ' (' + e[3] + ' B)');
  }
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  if (fcp) out.push('fcp ' + fcp.startTime.toFixed(0));
  out.push('long tasks before first row: ' + window.__longTasks.filter((t) => t.start <
    window.__firstRow).map((t) => t.start.toFixed(0) + '+' + t.duration.toFixed(0)).join(' '));
  return out.join(', ');
})()`;

const taskAt = (x: { duration: number; start: number }, t0: number) =>
  `${x.duration.toFixed(0)} ms at +${(x.start - t0).toFixed(0)} ms`;
const durations = (xs: { duration: number }[]) => xs.map((x) => x.duration.toFixed(0)).join(', ');

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;

async function main(): Promise<void> {
  if (!existsSync('dist/electron/serve.js') || !existsSync('dist/renderer/index.html'))
    throw new Error('run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), 'inspector-bench-'));
  // BENCH_DB=file reuses (or seeds once) a log kept between runs: seeding takes 20 s of a run.
  const dbPath = process.env.BENCH_DB ?? join(dir, 'log.sqlite');
  const upstream = await startFakeUpstream();
  const t = Date.now();
  if (!process.env.BENCH_DB || !existsSync(dbPath)) {
    await seedLog(dbPath, ROWS);
    console.log(`seeded ${ROWS.toLocaleString('en-US')} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  const s = await serve(dbPath, upstream.url, dir);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // A fresh context is a fresh profile: no cached bundle, no code cache, as on a first open.
  // The instrumentation is passed as strings (this file has no DOM types); the page's CSP forbids eval.
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
  try {
    await ctx.addInitScript(INSTRUMENT);
    const page = await ctx.newPage();
    console.log('opening the UI…');
    const openTrace = process.env.BENCH_TRACE_OPEN ? await startTrace(await browser.newBrowserCDPSession()) : null;
    await page.goto(s.uiUrl);
    await page.waitForFunction('window.__firstRow !== null', null, { timeout: 30_000 });
    if (openTrace) console.log(`  ${summarizeTrace(await openTrace.stop(process.env.BENCH_TRACE_OPEN!))}`);
    const firstRow = (await page.evaluate('window.__firstRow')) as number;
    console.log(`first rows painted: ${firstRow.toFixed(0)} ms after navigation start (target < 1000)`);
    console.log(`  breakdown: ${await page.evaluate(BREAKDOWN)}`);
    // BENCH_SHOTS=dir saves the list as opened and at its bottom, to look at.
    const shots = process.env.BENCH_SHOTS;
    if (shots) await page.screenshot({ path: join(shots, 'bench-list-top.png') });
    await page.waitForFunction(
      `Number(document.querySelector('[data-testid="request-list"]').getAttribute('aria-rowcount')) >= ${ROWS}`,
      null,
      { timeout: 60_000 },
    );

    // BENCH_SKIP=scroll (or wheel, bottom, complete, live) leaves a phase out, for quicker A/B runs of another;
    // BENCH_TRACE_SCROLL=file (BENCH_TRACE_WHEEL=, BENCH_TRACE_BOTTOM=) traces the scroll (the wheel, the jump).
    const skip = new Set((process.env.BENCH_SKIP ?? '').split(','));
    if (!skip.has('scroll')) {
      console.log('scrolling…');
      const scrollTrace = process.env.BENCH_TRACE_SCROLL ? await startTrace(await ctx.newCDPSession(page)) : null;
      const scroll = (await page.evaluate(`${SCROLL}(600)`)) as {
        frames: number[];
        loadedFrames: number;
        t0: number;
        t1: number;
        rows: number;
        atBottom: boolean;
      };
      if (scrollTrace) console.log(`  ${summarizeTrace(await scrollTrace.stop(process.env.BENCH_TRACE_SCROLL!))}`);
      const scrollTasks = ((await page.evaluate('window.__longTasks')) as { start: number; duration: number }[]).filter(
        (x) => x.start >= scroll.t0 && x.start <= scroll.t1,
      );
      console.log(
        `scroll top->bottom of ${scroll.rows.toLocaleString('en-US')} rows in 600 frames ` +
          `(reached bottom: ${scroll.atBottom}; loaded rows drawn in ${scroll.loadedFrames}): ` +
          `frame p50 ${pct(scroll.frames, 0.5).toFixed(1)} ms, p99 ` +
          `${pct(scroll.frames, 0.99).toFixed(1)} ms, max ${Math.max(...scroll.frames).toFixed(1)} ms; ` +
          `long tasks ${scrollTasks.length}, longest ` +
          `${Math.max(0, ...scrollTasks.map((x) => x.duration)).toFixed(0)} ms (target: frames < 50 ms)` +
          (scrollTasks.length ? ` [${scrollTasks.map((x) => taskAt(x, scroll.t0)).join(', ')}]` : ''),
      );
    }
    if (!skip.has('wheel')) {
      const wheelTrace = process.env.BENCH_TRACE_WHEEL ? await startTrace(await ctx.newCDPSession(page)) : null;
      const wheel = (await page.evaluate(`${WHEEL}(300, 60)`)) as {
        frames: number[];
        skeletonFrames: number;
        t0: number;
        t1: number;
      };
      if (wheelTrace) console.log(`  ${summarizeTrace(await wheelTrace.stop(process.env.BENCH_TRACE_WHEEL!))}`);
      const tasks = ((await page.evaluate('window.__longTasks')) as { start: number; duration: number }[]).filter(
        (x) => x.start >= wheel.t0 && x.start <= wheel.t1,
      );
      const rowsPerS = Math.round(
        ((60 * 1000) / pct(wheel.frames, 0.5)) *
          (Number(
            await page.evaluate(
              `(() => { const el = document.querySelector('[data-testid="request-list"]'); ` +
                `return Number(el.getAttribute('aria-rowcount')) * 24 / el.scrollHeight; })()`,
            ),
          ) /
            24),
      );
      console.log(
        `wheel: 300 frames of 60 px from mid-list (~${rowsPerS} rows/s): frame p50 ` +
          `${pct(wheel.frames, 0.5).toFixed(1)} ms, p99 ${pct(wheel.frames, 0.99).toFixed(1)} ms, ` +
          `max ${Math.max(...wheel.frames).toFixed(1)} ms; long tasks ${tasks.length}, longest ` +
          `${Math.max(0, ...tasks.map((x) => x.duration)).toFixed(0)} ` +
          `ms; frames with a "loading…" row ${wheel.skeletonFrames}` +
          (tasks.length ? ` [${tasks.map((x) => taskAt(x, wheel.t0)).join(', ')}]` : ''),
      );
    }
    if (!skip.has('bottom')) {
      // The scrollbar spans rows × 24 px (24 M px at a million rows): check that the very bottom is
      // reachable and shows the oldest request (the log's smallest id), once its page has been read.
      const t = Date.now();
      const ro = new Database(dbPath, { readonly: true });
      const oldest = (ro.prepare('SELECT min(id) AS id FROM requests').get() as { id: number }).id;
      ro.close();
      const bottomTrace = process.env.BENCH_TRACE_BOTTOM ? await startTrace(await ctx.newCDPSession(page)) : null;
      const jumpAt = (await page.evaluate(
        `(() => { const el = ` +
          `document.querySelector('[data-testid="request-list"]'); ` +
          `el.scrollTop = el.scrollHeight; return performance.now(); })()`,
      )) as number;
      const bottom = await page
        .waitForFunction(
          `(() => {
        const el = document.querySelector('[data-testid="request-list"]');
        const r = el.getBoundingClientRect();
        const row = document.elementFromPoint(r.left + 40, r.bottom - 6)?.closest('.list-row');
        const key = row?.getAttribute('data-key');
        return key && { key, gap: r.bottom - row.getBoundingClientRect().bottom, scrollTop: el.scrollTop,
          scrollHeight: el.scrollHeight };
      })()`,
          null,
          { timeout: 300_000, polling: 250 },
        )
        .then((h) => h.jsonValue() as Promise<{ key: string; gap: number; scrollTop: number; scrollHeight: number }>);
      const shownAt = (await page.evaluate('performance.now()')) as number;
      if (bottomTrace) console.log(`  ${summarizeTrace(await bottomTrace.stop(process.env.BENCH_TRACE_BOTTOM!))}`);
      const jumpTasks = ((await page.evaluate('window.__longTasks')) as { start: number; duration: number }[]).filter(
        (x) => x.start >= jumpAt && x.start <= shownAt,
      );
      if (shots) await page.screenshot({ path: join(shots, 'bench-list-bottom.png') });
      console.log(
        `bottom: last row ${bottom.key} (oldest request r${oldest}: ` +
          `${bottom.key === `r${oldest}` ? 'yes' : 'NO'}), ${bottom.gap.toFixed(0)} px from the list's bottom edge, ` +
          `scrollHeight ${bottom.scrollHeight.toLocaleString('en-US')} px, ` +
          `shown ${((Date.now() - t) / 1000).toFixed(1)} s after the jump; ` +
          `long tasks meanwhile ` +
          `${jumpTasks.length}${jumpTasks.length ? ` (${durations(jumpTasks)} ms)` : ''}`,
      );
    }
    if (!skip.has('complete')) console.log(await measureCompletion(page, s.proxyUrl));
    if (skip.has('live')) return;

    console.log('live traffic…');
    await page.evaluate(`document.querySelector('[data-testid="request-list"]').scrollTop = 0`);
    const trace = process.env.BENCH_TRACE ? await startTrace(await ctx.newCDPSession(page)) : null;
    const liveStart = (await page.evaluate('performance.now()')) as number;
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'bench' }] });
    let sent = 0;
    let failed = 0;
    const inFlight = new Set<Promise<void>>();
    const t1 = Date.now();
    for (let tick = 0; tick < 100; tick++) {
      // 20 requests every 100 ms = 200 req/s for 10 s.
      for (let i = 0; i < 20; i++) {
        const p = new Promise<void>((resolve) => {
          const req = request(
            `${s.proxyUrl}/openai/v1/chat/completions`,
            {
              method: 'POST',
              agent,
              headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
            },
            (res) => {
              if (res.statusCode !== 200) failed++;
              res.resume().on('end', resolve);
            },
          );
          req.on('error', () => (failed++, resolve()));
          req.setTimeout(15_000, () => req.destroy(new Error('timeout')));
          req.end(body);
        });
        sent++;
        inFlight.add(p);
        void p.then(() => inFlight.delete(p));
      }
      await new Promise((r) => setTimeout(r, Math.max(0, t1 + (tick + 1) * 100 - Date.now())));
    }
    await Promise.all(inFlight);
    agent.destroy();
    await new Promise((r) => setTimeout(r, 1000));
    if (trace) console.log(`  ${summarizeTrace(await trace.stop(process.env.BENCH_TRACE!))}`);
    const liveTasks = ((await page.evaluate('window.__longTasks')) as { start: number; duration: number }[]).filter(
      (x) => x.start >= liveStart,
    );
    const shown = (await page.evaluate(
      `Number(document.querySelector('[data-testid="request-list"]').getAttribute('aria-rowcount'))`,
    )) as number;
    console.log(
      `live: ${sent} requests at 200/s for 10 s (${failed} failed); list now ${shown.toLocaleString('en-US')} rows; ` +
        `long tasks ${liveTasks.length}, longest ` +
        `${Math.max(0, ...liveTasks.map((x) => x.duration)).toFixed(0)} ms (target: none > 100 ms)`,
    );
    console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}`);
  } finally {
    await browser.close();
    const exited = new Promise((r) => s.child.once('exit', r));
    s.child.kill('SIGTERM');
    await exited;
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
