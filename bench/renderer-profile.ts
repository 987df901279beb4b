// CPU profile of the renderer opening a log (for finding where the first second goes):
//   node scripts/run-bundled.mjs bench/renderer-profile.ts LOG.sqlite [out.cpuprofile]
// Loads the page once (so the profiler is attached to the page's own renderer process), then
// profiles a reload until the first row is painted, and prints the heaviest functions (self time).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [db, out] = process.argv.slice(2);
if (!db) throw new Error('usage: renderer-profile.ts LOG.sqlite [out.cpuprofile]');
const dir = mkdtempSync(join(tmpdir(), 'inspector-profile-'));
const child = spawn(
  process.execPath,
  [
    'dist/electron/serve.js',
    '--host',
    '127.0.0.1',
    '--proxy-port',
    '0',
    '--ui-port',
    '0',
    '--db',
    db,
    '--config',
    join(dir, 'settings.json'),
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const uiUrl = await new Promise<string>((resolve) =>
  createInterface({ input: child.stdout! }).on('line', (l) => {
    const m = /ui listening on (\S+)/.exec(l);
    if (m) resolve(m[1]!);
  }),
);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(uiUrl);
  await page.waitForSelector('.list-row[data-key]');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const t0 = Date.now();
  await page.reload();
  await page.waitForSelector('.list-row[data-key]');
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  console.log(`reload to first row: ${Date.now() - t0} ms (wall, as seen from Node)`);
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
  if (out) writeFileSync(out, JSON.stringify(profile));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const k = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(k, (self.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  for (const [k, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30))
    console.log(`${ms.toFixed(1).padStart(8)} ms  ${k}`);
} finally {
  await browser.close();
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
