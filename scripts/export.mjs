// `npm run export -- --db FILE --out FILE [...]`: bundles the export CLI the way the app is bundled
// (scripts/run-bundled.mjs) and runs it with plain Node. See electron/core/export/cli.ts for flags.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const r = spawnSync(
  process.execPath,
  [`${root}scripts/run-bundled.mjs`, `${root}electron/core/export/cli-main.ts`, ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
process.exit(r.status ?? 1);
