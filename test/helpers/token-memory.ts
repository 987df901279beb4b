// Prints the heap used (after a full GC) once the usage package is loaded, then after estimating
// for a cl100k model, then for an o200k model: one JSON line, for tokens-lazy.test.ts. Run bundled
// as the app runs, with --expose-gc.
import { estimateTokens } from '../../electron/core/proxy/usage';

const used = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
};
const loaded = used();
estimateTokens('hello world', 'gpt-4');
const cl100k = used();
estimateTokens('hello world', 'gpt-4o');
const o200k = used();
console.log(JSON.stringify({ loaded, cl100k, o200k }));
