import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
// With its extension: Vite's native config loader (its future default) resolves no bare paths.
import { PAGE_CSP } from '../electron/core/contract/csp.ts';

/** The page's CSP as the first element of <head>: a <meta> policy covers only what comes after it. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'inspector-csp',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: PAGE_CSP }, injectTo: 'head-prepend' },
    ],
  };
}

/**
 * The entry module imports the screens (React and all) dynamically, so it can ask for the first
 * page before they are parsed (see src/main.tsx). A modulepreload link lets the browser fetch and
 * compile that chunk while the entry runs, instead of only once the entry asks for it.
 */
function preloadRoot(): Plugin {
  return {
    name: 'inspector-preload-root',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const root = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.name === 'root');
        if (!root || root.type !== 'chunk') return [];
        return [root.fileName, ...root.imports].map((file) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}

// Paths are relative to the working directory (npm scripts run from the repo root), because this file
// is type-checked with the renderer's config, which has no Node types (so no node:url here).
// The renderer is loaded from file:// inside Electron and from the UI server under `npm run serve`,
// so every asset URL is relative (base './').
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), preloadRoot(), contentSecurityPolicy()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Electron's CSP forbids inline scripts; keep the module preload polyfill out of index.html.
    modulePreload: { polyfill: false },
    target: 'chrome130',
  },
});
