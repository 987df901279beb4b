// `npm start`: run the real desktop app from a checkout.
// Electron's npm package carries no binary and has no install script: `require('electron')` returns
// the binary's path and downloads it (once, into node_modules/electron/dist) when it is missing. So
// `npm ci`, the build and the tests never need it; only starting the app does.
// better-sqlite3 needs nothing here: its prebuilt binary is a Node-API addon, which loads in Node and
// in Electron alike.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

// Before the build, so a failed download (offline, a proxy) says so at once.
let electron;
try {
  electron = require('electron');
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const build = spawnSync(process.execPath, [`${root}scripts/build.mjs`], { stdio: 'inherit', cwd: root });
if (build.status !== 0) {
  console.error(`\nThe build failed (exit ${build.status ?? build.signal}).`);
  process.exit(build.status ?? 1);
}

// Ctrl+C in the terminal reaches Electron as well (same process group), and the app then flushes
// the log before it exits: stay until it has, so the prompt doesn't come back under a running app.
// Set before the spawn: on a busy machine the app can be up, and a stop sent, before this script
// runs its next line, and a SIGTERM with no handler yet would end it and orphan the app.
let app;
process.on('SIGINT', () => {});
process.on('SIGTERM', () => app?.kill('SIGTERM'));
// V8 takes heap sizes only at start, and for Electron's main process (the proxy's) only from its command
// line: app.commandLine.appendSwitch('js-flags', …) reaches the renderers alone. The same flags as `serve`'s
// (SERVE_NODE_FLAGS in electron/core/serve-flags.ts; test/scripts/start.test.ts holds them equal).
const JS_FLAGS = '--max-semi-space-size=8';
app = spawn(electron, [`--js-flags=${JS_FLAGS}`, root, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
app.on('error', (error) => {
  console.error(`Could not start Electron (${electron}): ${error.message}`);
  process.exit(1);
});
app.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
