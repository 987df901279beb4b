// Chromium tracing for the renderer benchmark (BENCH_TRACE=file.json): what the page's main thread
// spent its time on during a phase, so a fix can aim at what dominates (script, style, layout, paint).
import { writeFileSync } from 'node:fs';
import type { CDPSession } from 'playwright-core';

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread CPU time: on a busy machine a task can take far longer than the work in it. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

const CATEGORIES = [
  'devtools.timeline',
  'disable-by-default-devtools.timeline',
  'v8.execute',
  'blink.user_timing',
  'toplevel',
].join(',');

const PARTS = new Set([
  'EvaluateScript',
  'v8.compile',
  'v8.compileModule',
  'v8.evaluateModule',
  'V8.CompileLazy',
  'ParseAuthorStyleSheet',
  'ResourceReceivedData',
  'FunctionCall',
  'TimerFire',
  'FireAnimationFrame',
  'RunMicrotasks',
  'UpdateLayoutTree',
  'Layout',
  'PrePaint',
  'Paint',
  'Layerize',
  'Commit',
  'ParseHTML',
  'MajorGC',
  'MinorGC',
  'EventDispatch',
  'HitTest',
]);

/** Browser-wide when `cdp` is the browser's session (a navigation can change the renderer process). */
export async function startTrace(cdp: CDPSession) {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => void events.push(...(e.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
  return {
    async stop(file: string): Promise<TraceEvent[]> {
      const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
      await cdp.send('Tracing.end');
      await done;
      writeFileSync(file, JSON.stringify({ traceEvents: events }));
      return events;
    },
  };
}

/** Time on the renderer's main thread by event name (self time is not computed: nested names overlap). */
export function summarizeTrace(events: TraceEvent[]): string {
  // The page's renderer: the main thread that ran the most tasks (others are about:blank or idle).
  const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const work = new Set(['FunctionCall', 'Layout', 'Paint', 'v8.evaluateModule', 'EvaluateScript']);
  const busy = (m: TraceEvent) =>
    events.filter((e) => e.pid === m.pid && e.tid === m.tid && work.has(e.name)).reduce((a, e) => a + (e.dur ?? 0), 0);
  const main = mains.sort((a, b) => busy(b) - busy(a))[0];
  if (!main) return 'trace: no renderer main thread';
  const on = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined);
  const total = new Map<string, number>();
  for (const e of on) total.set(e.name, (total.get(e.name) ?? 0) + e.dur! / 1000);
  const top = [...total].sort((a, b) => b[1] - a[1]).slice(0, 14);
  const all = on.filter((e) => e.name === 'ThreadControllerImpl::RunTask');
  const tasks = all.filter((e) => e.dur! > 50_000);
  const cpu = all.map((e) => (e.tdur ?? 0) / 1000).sort((a, b) => b - a);
  const t0 = Math.min(...on.map((e) => e.ts));
  const long = tasks.slice(0, 12).map((t) => {
    const inside = new Map<string, number>();
    for (const e of on)
      if (e !== t && e.ts >= t.ts && e.ts + e.dur! <= t.ts + t.dur! && PARTS.has(e.name))
        inside.set(e.name, (inside.get(e.name) ?? 0) + e.dur! / 1000);
    return (
      `@${((t.ts - t0) / 1000).toFixed(0)} ${(t.dur! / 1000).toFixed(0)} ms (CPU ` +
      `${((t.tdur ?? 0) / 1000).toFixed(0)}) [${[...inside].map(([n, ms]) => `${n} ${ms.toFixed(0)}`).join(' ')}]`
    );
  });
  return (
    `trace (main thread, ms): ` +
    `${top.map(([n, ms]) => `${n} ${ms.toFixed(0)}`).join(', ')}; tasks > 50 ms: ${tasks.length}; ` +
    `thread CPU of the costliest tasks: ${cpu
      .slice(0, 5)
      .map((ms) => ms.toFixed(0))
      .join(', ')} ms, tasks over 50 ms of CPU: ${cpu.filter((ms) => ms > 50).length}\n  ${long.join('\n  ')}`
  );
}
