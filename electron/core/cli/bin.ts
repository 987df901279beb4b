#!/usr/bin/env node
// The npm package's bin (`npx llm-request-inspector …`, and `npm run serve`). For `serve`, the proxy that runs
// for hours, it first replaces itself with a Node started with serve's flags and environment (serve-flags.ts)
// when it lacks them: execve keeps the process id and stdio and leaves nothing behind, for ~30 ms. It imports
// none of the app, so that costs little; the command line itself is cli.js beside it. Where execve does not
// exist (Windows), serve runs with whatever Node was given.
import { missingServeSettings } from '../serve-flags';

const args = process.argv.slice(2);
if (args[0] === 'serve' && typeof process.execve === 'function') {
  const missing = missingServeSettings(process.execArgv, process.env, process.platform);
  if (missing.flags.length > 0 || Object.keys(missing.env).length > 0) {
    const argv = [process.execPath, ...process.execArgv, ...missing.flags, process.argv[1]!, ...args];
    process.execve(process.execPath, argv, { ...process.env, ...missing.env });
  }
}
await import(new URL('./cli.js', import.meta.url).href);
