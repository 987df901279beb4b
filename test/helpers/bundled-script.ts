// A test helper script bundled with the storage worker threads, so a test can run the store in a
// child process of its own (to kill it, or to watch it exit). Built inside the repo so the bundle
// resolves better-sqlite3 from node_modules; .tmp is git-ignored.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll } from 'vitest';
import { WORKER_ENTRIES, nodeBundleOptions } from '../../scripts/bundle-config.mjs';

/** Bundles `test/helpers/NAME.ts` before the file's tests and removes it after; returns the script's path. */
export function useBundledScript(name: string): string {
  const out = join(process.cwd(), '.tmp', `${name}-${process.pid}`);
  beforeAll(async () => {
    await mkdir(out, { recursive: true });
    await build({
      ...nodeBundleOptions(`${process.cwd()}/`),
      entryPoints: { [name]: `test/helpers/${name}.ts`, ...WORKER_ENTRIES },
      outdir: out,
      sourcemap: false,
      logLevel: 'error',
    });
  });
  afterAll(() => rm(out, { recursive: true, force: true }));
  return join(out, `${name}.js`);
}
