// Entry of `npm run export` (bundled and run by scripts/export.mjs).
import { runExportCli } from './cli';

process.exitCode = await runExportCli(process.argv.slice(2), {
  log: (l) => console.log(l),
  error: (l) => console.error(l),
});
