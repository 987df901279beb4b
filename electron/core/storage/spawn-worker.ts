import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread: the built `NAME.js` beside this bundle in dist/ (every entry in
 * WORKER_ENTRIES of scripts/bundle-config.mjs lands there), or `source` (its TypeScript file)
 * when running from the source tree (tests, tsx), loaded through tsx's hook.
 */
export function spawnWorker(name: string, source: URL, workerData: unknown): Worker {
  const built = new URL(`./${name}.js`, import.meta.url);
  if (existsSync(fileURLToPath(built))) return new Worker(built, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot =
    `import(${JSON.stringify(tsx)}).then((m) => { ` + `m.register(); return import(${JSON.stringify(source.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

/** One of the storage threads (writer, reader), whose sources sit beside this file. */
export function spawnStorageWorker(name: 'writer-worker' | 'reader-worker', workerData: unknown): Worker {
  return spawnWorker(name, new URL(`./${name}.ts`, import.meta.url), workerData);
}
