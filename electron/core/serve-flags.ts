// What the long-running headless process (`serve`) needs from whoever starts Node, since neither can be set
// from inside once it runs:
//  - --max-semi-space-size: V8 sizes its heap at start (v8.setFlagsFromString afterwards leaves the young
//    generation as it was, measured). When many young objects survive, V8 grows the main thread's young
//    generation to 128 MB (two 64 MB semi-spaces); it did under load until a retention was fixed, and the
//    cap (16 MB) took ~90 MB off the peak for the same CPU per request (BENCHMARKS.md, "Proxy"). It bounds
//    what the next such case can cost.
//  - MALLOC_ARENA_MAX (glibc reads it at start): glibc gives each thread that allocates its own arena, and
//    freed memory stays in it; serve has a dozen such threads (the writer's SQLite, the reader, libuv's pool,
//    V8's helpers). Two arenas hold ~20 MB less at the peak, for no CPU measurable in the benchmark.
// `npm run serve` and the npm package's bin (cli/bin.ts) start serve with these, the benchmark too; the
// desktop app's flags are in scripts/start.mjs.
export const SERVE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
export const SERVE_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

const flagName = (flag: string) => flag.split('=', 1)[0]!;

/**
 * What this process lacks of the above: the flags it was started without, leaving out any the user gave a
 * value of their own (on the command line or in NODE_OPTIONS), and the environment variables not set (glibc's
 * only on Linux).
 */
export function missingServeSettings(
  execArgv: readonly string[],
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
): { flags: string[]; env: Record<string, string> } {
  const given = new Set([...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)].map(flagName));
  const unset = Object.entries(SERVE_ENV).filter(([name]) => platform === 'linux' && env[name] === undefined);
  return { flags: SERVE_NODE_FLAGS.filter((flag) => !given.has(flagName(flag))), env: Object.fromEntries(unset) };
}
