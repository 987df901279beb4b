// Embeds migrations/*.sql into the bundle as the virtual module `virtual:migrations`,
// so the built app carries its schema and never reads .sql files from a source tree.
// The same reader serves the esbuild build and the Vite/Vitest dev pipeline.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MIGRATIONS_ID = 'virtual:migrations';
const RESOLVED = '\0virtual:migrations';

export function readMigrationFiles(dir) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(dir, name), 'utf8') }));
}

function moduleSource(dir) {
  return `export default ${JSON.stringify(readMigrationFiles(dir))};`;
}

export function viteMigrations(dir) {
  return {
    name: 'embed-migrations',
    resolveId(id) {
      return id === MIGRATIONS_ID ? RESOLVED : undefined;
    },
    load(id) {
      if (id !== RESOLVED) return undefined;
      for (const f of readMigrationFiles(dir)) this.addWatchFile?.(join(dir, f.name));
      return moduleSource(dir);
    },
  };
}

export function esbuildMigrations(dir) {
  return {
    name: 'embed-migrations',
    setup(build) {
      build.onResolve({ filter: /^virtual:migrations$/ }, () => ({ path: 'migrations', namespace: 'migrations' }));
      build.onLoad({ filter: /.*/, namespace: 'migrations' }, () => ({
        contents: moduleSource(dir),
        loader: 'js',
        watchDirs: [dir],
      }));
    },
  };
}
