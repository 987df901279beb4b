// Renderer benchmark, large multimodal bodies (issue 16): requests each holding a 5 MB base64
// image (OpenAI image_url data URIs, Anthropic source.base64, Gemini inlineData), logged whole
// (capture cap raised to 16 MiB), then in real Chromium:
//   1. selecting them one after another with the keyboard, the Conversation tab open: time until
//      the image is decoded and drawn, and long tasks (target: none > 100 ms);
//   2. scrolling the conversation and the list while such a row is open: long tasks (same target).
// Run: node scripts/run-bundled.mjs bench/renderer-media.ts [requests]   (after `npm run build`)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startFakeUpstream } from '../test/helpers/fake-upstream';
import { makePng } from '../test/helpers/png';
import { startTrace, summarizeTrace } from './renderer-trace';
import { startServeProcess } from './serve-process';

const N = Number(process.argv[2] ?? 12);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface LongTask {
  start: number;
  duration: number;
}

// Functions passed to page.evaluate run in the page; the Node typecheck has no DOM types.
interface PageEl {
  textContent: string | null;
  scrollTop: number;
  scrollHeight: number;
  complete?: boolean;
  naturalWidth?: number;
}
declare const document: { querySelector(s: string): PageEl | null; querySelectorAll(s: string): { length: number } };
declare function requestAnimationFrame(f: () => void): void;

const INSTRUMENT = `
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push({ start:
    e.startTime, duration: e.duration }); })
    .observe({ type: 'longtask', buffered: true });
`;

async function serve(dir: string, upstreamUrl: string) {
  const config = join(dir, 'settings.json');
  writeFileSync(config, JSON.stringify({ captureMaxBytes: 16 * 1024 * 1024 }));
  return startServeProcess([
    '--db',
    join(dir, 'log.sqlite'),
    '--config',
    config,
    '--upstream',
    `openai=${upstreamUrl}`,
  ]);
}

/** One request in one of three shapes, each carrying the same 5 MB image. */
function body(i: number, b64: string): { path: string; json: unknown } {
  const text = `Describe picture ${i}.`;
  switch (i % 3) {
    case 0:
      return {
        path: '/openai/v1/chat/completions',
        json: {
          model: 'gpt-4o',
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text },
                { type: 'image_url', image_url: { url: `data:image/png;base64,${b64}` } },
              ],
            },
          ],
        },
      };
    case 1:
      return {
        path: '/openai/v1/messages',
        json: {
          model: 'claude-sonnet-4-5',
          max_tokens: 200,
          messages: [
            {
              role: 'user',
              content: [
                { type: 'image', source: { type: 'base64', media_type: 'image/png', data: b64 } },
                { type: 'text', text },
              ],
            },
          ],
        },
      };
    default:
      return {
        path: '/openai/v1beta/models/gemini-2.5-flash:generateContent',
        json: { contents: [{ role: 'user', parts: [{ text }, { inlineData: { mimeType: 'image/png', data: b64 } }] }] },
      };
  }
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)]!.toFixed(0)} ms, max ${s[s.length - 1]!.toFixed(0)} ms`;
};
const describeTasks = (tasks: LongTask[]) =>
  `long tasks ` +
  `${tasks.length}${tasks.length ? ` (${tasks.map((t) => t.duration.toFixed(0)).join(', ')} ms)` : ''}, ` +
  `longest ${Math.max(0, ...tasks.map((t) => t.duration)).toFixed(0)} ms (target: none > 100 ms)`;

const dir = mkdtempSync(join(tmpdir(), 'inspector-bench-media-'));
const upstream = await startFakeUpstream({ reply: 'A noisy square.' });
const s = await serve(dir, upstream.url);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  // A noisy 1290×1290 PNG is stored, not compressed: 5.0 MB, 6.7 MB of base64.
  const png = makePng(1290, 1290, { noise: true });
  const b64 = png.toString('base64');
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}; ${N} requests, image ` +
      `${(png.length / 1e6).toFixed(1)} MB (${(b64.length / 1e6).toFixed(1)} MB base64)`,
  );
  for (let i = 0; i < N; i++) {
    const { path, json } = body(i, b64);
    const res = await fetch(`${s.proxyUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
      body: JSON.stringify(json),
    });
    await res.text();
  }

  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(INSTRUMENT);
  await page.goto(s.uiUrl);
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="request-list"] .list-row[data-key^="r"]').length === n,
    N,
    { timeout: 60_000 },
  );
  const tasks = async (from: number, to: number) =>
    ((await page.evaluate('window.__longTasks')) as LongTask[]).filter((t) => t.start >= from && t.start <= to);

  // 1. Select each row in turn (newest first), the detail open on its Conversation tab.
  await page.locator('[data-testid="request-list"] .list-row[data-key^="r"]').first().dispatchEvent('mousedown');
  // BENCH_PROFILE=1: a CPU profile of the selections, heaviest functions by self time.
  const cdp = process.env.BENCH_PROFILE ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
  }
  // BENCH_TRACE=file.json: a Chromium trace of the selections, summarised (what the long tasks hold).
  const trace = process.env.BENCH_TRACE ? await startTrace(await browser.newBrowserCDPSession()) : null;
  const selectStart = (await page.evaluate('performance.now()')) as number;
  const shown: number[] = [];
  for (let i = 0; i < N; i++) {
    if (i > 0) await page.keyboard.press('ArrowDown');
    const t0 = (await page.evaluate('performance.now()')) as number;
    await page.waitForFunction(
      (want) => {
        const title = document.querySelector('[data-testid="conversation"] .msg-text')?.textContent ?? '';
        const img = document.querySelector('[data-testid="media-image"] img');
        return title === want && !!img && img.complete && img.naturalWidth === 1290;
      },
      `Describe picture ${N - 1 - i}.`,
      { timeout: 30_000, polling: 'raf' },
    );
    shown.push(((await page.evaluate('performance.now()')) as number) - t0);
  }
  const selectEnd = (await page.evaluate('performance.now()')) as number;
  if (trace) console.log(summarizeTrace(await trace.stop(process.env.BENCH_TRACE!)));
  if (cdp) {
    type Node = {
      id: number;
      callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    };
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as {
      profile: { nodes: Node[]; samples: number[]; timeDeltas: number[] };
    };
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const f = byId.get(id)!.callFrame;
      const k = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}:${f.columnNumber}`;
      self.set(k, (self.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    for (const [k, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15))
      console.log(`${ms.toFixed(1).padStart(8)} ms  ${k}`);
  }
  console.log(
    `select ${N} rows, each until its 5 MB image is drawn: ` +
      `${stats(shown)}; ${describeTasks(await tasks(selectStart, selectEnd))}`,
  );

  // 2. Scroll the open conversation (image in and out of view) and the list, a step per frame.
  const scrollStart = (await page.evaluate('performance.now()')) as number;
  await page.evaluate(async () => {
    const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));
    const detail = document.querySelector('.detail-body')!;
    const list = document.querySelector('[data-testid="request-list"]')!;
    for (let round = 0; round < 3; round++) {
      for (let y = 0; y <= detail.scrollHeight; y += 40) {
        detail.scrollTop = y;
        await frame();
      }
      for (let y = detail.scrollHeight; y >= 0; y -= 40) {
        detail.scrollTop = y;
        await frame();
      }
      for (let y = 0; y <= list.scrollHeight; y += 24) {
        list.scrollTop = y;
        await frame();
      }
      list.scrollTop = 0;
      await frame();
    }
  });
  const scrollEnd = (await page.evaluate('performance.now()')) as number;
  console.log(
    `scroll the conversation and the list (3 rounds, ` +
      `${(scrollEnd - scrollStart).toFixed(0)} ms): ${describeTasks(await tasks(scrollStart, scrollEnd))}`,
  );
} finally {
  await browser.close();
  s.child.kill('SIGTERM');
  await new Promise((r) => s.child.once('exit', r));
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
}
