// V8 flags for the long-running headless process (`serve`), which only whoever starts Node can set: V8 sizes
// its heap once, at start (v8.setFlagsFromString afterwards leaves the young generation as it was, measured).
// --max-semi-space-size: under sustained traffic V8 grows the main thread's young generation to 128 MB (two
// 64 MB semi-spaces, ~90 MB of the process's peak RSS); capped at 8 MB each, the peak falls by that much for
// the same CPU per request (BENCHMARKS.md, "Proxy"). Kept in one place: `npm run serve`'s script, the npm
// package's bin (cli/bin.ts) and the benchmark take them from here or are checked against it
// (test/build/npm-package.test.ts); the desktop app's are in scripts/start.mjs.
export const SERVE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

const flagName = (flag: string) => flag.split('=', 1)[0]!;

/**
 * The flags of SERVE_NODE_FLAGS this process was started without, leaving out any the user gave a value of
 * their own (on the command line or in NODE_OPTIONS).
 */
export function missingServeFlags(execArgv: readonly string[], nodeOptions = ''): string[] {
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/)].map(flagName));
  return SERVE_NODE_FLAGS.filter((flag) => !given.has(flagName(flag)));
}
