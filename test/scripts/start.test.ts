// `npm start` (scripts/start.mjs) without a real Electron, which can't be downloaded here: the script
// runs in a copy of the project whose build step is a stand-in and whose Electron package is the real
// one, pointed by ELECTRON_OVERRIDE_DIST_PATH (Electron's own switch) at a shell script that records
// how it was started. What is checked is the script's own logic: build first, then Electron on the
// project with the user's arguments, its exit code passed on, and a stop that waits for the app.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SERVE_NODE_FLAGS } from '../../electron/core/serve-flags';
import { root } from '../build/electron-builder';

let work: string;
let project: string;
let log: string;
let env: NodeJS.ProcessEnv;

/** Electron's main process gets serve's V8 flags (its young generation grows as serve's does). */
const JS_FLAGS = `--js-flags=${SERVE_NODE_FLAGS.join(' ')}`;

/** What happened, in order: `build`, then `electron <args…>`, then `stopped` if it was told to stop. */
const events = () => readFileSync(log, 'utf8').trim().split('\n');

function fakeBuild(exitCode: number): void {
  writeFileSync(
    join(project, 'scripts/build.mjs'),
    `import { appendFileSync } from ` +
      `'node:fs';\nappendFileSync(${JSON.stringify(log)}, 'build\\n');\nprocess.exit(${exitCode});\n`,
  );
}

/** `body` runs after the launch is logged; it decides how the fake app ends. */
function fakeElectron(body: string): void {
  const dist = join(work, 'electron-dist');
  // Where Electron's package looks inside that folder: the path.txt a real download left, else `electron`.
  const pathTxt = join(root, 'node_modules/electron/path.txt');
  const binary = join(dist, existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8') : 'electron');
  mkdirSync(dirname(binary), { recursive: true });
  writeFileSync(binary, `#!/bin/sh\necho "electron $*" >> '${log}'\n${body}\n`);
  chmodSync(binary, 0o755);
  env = { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: dist };
}

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'inspector-start-'));
  project = join(work, 'project');
  log = join(work, 'events.log');
  writeFileSync(log, '');
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  cpSync(join(root, 'scripts/start.mjs'), join(project, 'scripts/start.mjs'));
  symlinkSync(join(root, 'node_modules/electron'), join(project, 'node_modules/electron'), 'dir');
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('npm start (scripts/start.mjs)', () => {
  it('builds, then runs Electron with the V8 flags on the project and the arguments, exits with its code', () => {
    fakeBuild(0);
    fakeElectron('exit 7');
    const r = spawnSync(process.execPath, [join(project, 'scripts/start.mjs'), '--flag', 'value'], {
      env,
      encoding: 'utf8',
    });
    expect(r.status).toBe(7);
    expect(events()).toEqual(['build', `electron ${JS_FLAGS} ${project}/ --flag value`]);
  });

  it('does not start Electron when the build fails, and exits with the build’s code', () => {
    fakeBuild(3);
    fakeElectron('exit 0');
    const r = spawnSync(process.execPath, [join(project, 'scripts/start.mjs')], { env, encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/build failed/);
    expect(events()).toEqual(['build']);
  });

  it('passes SIGTERM on to the app and exits only once the app has', async () => {
    fakeBuild(0);
    // The app says it's up, then on SIGTERM takes its time (as closing the log does) before exiting.
    fakeElectron(`trap 'kill $!; echo stopped >> "${log}"; exit 0' TERM\necho up\nsleep 30 & wait $!`);
    const start = spawn(process.execPath, [join(project, 'scripts/start.mjs')], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(start, 'exit');
    for await (const chunk of start.stdout) if (String(chunk).includes('up')) break;
    start.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    expect(events()).toEqual(['build', `electron ${JS_FLAGS} ${project}/`, 'stopped']);
  });
});
