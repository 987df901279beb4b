#!/usr/bin/env node
// `llm-request-inspector <command>` (the package's bin) and `npm run cli -- <command>` from a
// checkout: one entry point for the headless proxy, exports, and read-only questions to the log.
import { serveMain } from '../serve';
import { EXIT } from './commands';
import { runCli } from './run-cli';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'serve') return serveMain(argv.slice(1));
  // `requests | head` closes the pipe early: that ends the output, it is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT.ok);
    throw e;
  });
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  process.exitCode = await runCli(argv, {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
    signal: stop.signal,
  });
}

await main();
