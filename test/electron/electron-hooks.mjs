// `node --import ./test/electron/electron-hooks.mjs dist/electron/main.js`: resolves `electron`
// (imported by main.js, required by the bundled electron-updater) to the stand-in module.
import { registerHooks } from 'node:module';

const standIn = new URL('./electron-module.mjs', import.meta.url).href;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron') return { url: standIn, format: 'module', shortCircuit: true };
    return nextResolve(specifier, context);
  },
});
