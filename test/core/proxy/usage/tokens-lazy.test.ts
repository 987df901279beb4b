import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { useBundledScript } from '../../../helpers/bundled-script';

const script = useBundledScript('token-memory');

it('loads each encoding on first use, and only the one the model needs (in the bundle the app runs)', () => {
  const out = execFileSync(process.execPath, ['--expose-gc', script], { encoding: 'utf8' });
  const { loaded, cl100k, o200k } = JSON.parse(out) as { loaded: number; cl100k: number; o200k: number };
  const mb = (n: number) => n / 2 ** 20;
  // Built, cl100k holds ~8 MB of heap and o200k ~14 MB (~25 and ~30 MB of RSS): loaded eagerly,
  // both would be in `loaded` and neither step would grow the heap.
  expect(mb(cl100k - loaded)).toBeGreaterThan(4);
  expect(mb(o200k - cl100k)).toBeGreaterThan(8);
});
