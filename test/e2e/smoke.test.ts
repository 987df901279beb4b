// The desktop smoke test's steps (test/smoke/smoke-suite.ts) against `npm run serve` in Chromium:
// the part of `npm run test:electron` that can run where Electron can't be downloaded.
import { startE2e } from './harness';
import { smokeSuite } from '../smoke/smoke-suite';
import { join } from 'node:path';

smokeSuite('serve in Chromium', async () => {
  const e = await startE2e();
  return {
    page: e.page,
    upstream: e.upstream,
    dbPath: join(e.dir, 'log.sqlite'),
    dir: e.dir,
    pageErrors: e.pageErrors,
    // The browser UI asks for the path in the export dialog itself; the suite fills it in.
    answerSaveDialog: async () => undefined,
    quit: e.stopServe,
    dispose: e.stop,
    output: e.output,
  };
});
