// Keeps gpt-tokenizer's encodings (5.8 MB of source, mostly the BPE rank tables) out of the bundles that
// use them: each becomes a CommonJS file of its own beside the bundle (`tokenizer-o200k_base.cjs`),
// which proxy/usage/tokens.ts require()s on first use. Inlined, their source was held by every process
// that loaded the bundle (V8 keeps a script's source for lazy compilation), whether it ever counted a
// token or not.
import { build } from 'esbuild';
import { dirname } from 'node:path';

const ENCODING = /^gpt-tokenizer\/encoding\/(cl100k_base|o200k_base)$/;

/** The file an encoding is built to, next to the bundle that requires it. */
export const tokenizerFile = (encoding) => `tokenizer-${encoding}.cjs`;

export function esbuildTokenizersApart() {
  return {
    name: 'tokenizers-apart',
    setup(b) {
      const used = new Set();
      b.onResolve({ filter: ENCODING }, (args) => {
        const encoding = ENCODING.exec(args.path)[1];
        used.add(encoding);
        return { path: `./${tokenizerFile(encoding)}`, external: true };
      });
      b.onEnd(async (result) => {
        if (result.errors.length > 0 || used.size === 0) return;
        const { outdir, outfile, absWorkingDir } = b.initialOptions;
        const out = outdir ?? dirname(outfile);
        for (const encoding of used) {
          await build({
            absWorkingDir,
            entryPoints: [`gpt-tokenizer/encoding/${encoding}`],
            outfile: `${out}/${tokenizerFile(encoding)}`,
            bundle: true,
            platform: 'node',
            target: 'node22',
            format: 'cjs',
            logLevel: 'warning',
          });
        }
      });
    },
  };
}
