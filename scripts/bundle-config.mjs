// The one esbuild configuration for Node-side bundles, shared by the production build, the
// bundled runner for benchmarks and tools, and the tests that build a bundle of their own.
import { esbuildMigrations } from './migrations-plugin.mjs';
import { esbuildTokenizersApart } from './tokenizer-plugin.mjs';

/** Worker threads: each bundle that opens a log (or exports one) needs these beside it. */
export const WORKER_ENTRIES = {
  'writer-worker': 'electron/core/storage/writer-worker.ts',
  'reader-worker': 'electron/core/storage/reader-worker.ts',
  'export-worker': 'electron/core/export/export-worker.ts',
  'sql-worker': 'electron/core/cli/sql-worker.ts',
  'diff-worker': 'electron/core/inspect/diff/diff-worker.ts',
  'otlp-worker': 'electron/core/export/otlp/otlp-worker.ts',
};

/** Native and Electron-provided modules stay outside; everything else is inlined. */
export const EXTERNAL = ['electron', 'better-sqlite3'];

// ESM bundles that inline CommonJS packages still meet `require` of Node built-ins.
const REQUIRE_SHIM =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** esbuild options for an ESM bundle run by Node or Electron's main process. `root` ends with '/'. */
export function nodeBundleOptions(root, { external = [] } = {}) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    sourcemap: true,
    logLevel: 'warning',
    external: [...EXTERNAL, ...external],
    plugins: [esbuildMigrations(`${root}migrations`), esbuildTokenizersApart()],
    // ws looks for optional native speedups it doesn't need. http-proxy-3 switches every request to
    // a fetch()-based path when FORCE_FETCH_PATH=true is in the environment: no 'proxyReq' event, no
    // response stream to relay; the proxy is built on its http.request path only.
    define: {
      'process.env.WS_NO_BUFFER_UTIL': '"1"',
      'process.env.WS_NO_UTF_8_VALIDATE': '"1"',
      'process.env.FORCE_FETCH_PATH': '"false"',
    },
    banner: { js: REQUIRE_SHIM },
  };
}

/** WORKER_ENTRIES with absolute paths. */
export function workerEntries(root) {
  return Object.fromEntries(Object.entries(WORKER_ENTRIES).map(([name, path]) => [name, `${root}${path}`]));
}
