#!/usr/bin/env node
// The npm package's bin (`npx llm-request-inspector …`). For `serve`, the proxy that runs for hours, it first
// replaces itself with a Node started with SERVE_NODE_FLAGS (execve: same process id, same stdio, nothing
// left behind; ~30 ms), since V8 takes them only at start. It imports none of the app, so that costs little;
// the command line itself is cli.js beside it. Where execve does not exist (Windows), serve runs without them.
import { missingServeFlags } from '../serve-flags';

const args = process.argv.slice(2);
if (args[0] === 'serve' && typeof process.execve === 'function') {
  const missing = missingServeFlags(process.execArgv, process.env.NODE_OPTIONS);
  if (missing.length > 0)
    process.execve(process.execPath, [process.execPath, ...process.execArgv, ...missing, process.argv[1]!, ...args]);
}
await import(new URL('./cli.js', import.meta.url).href);
