import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Paths are relative to the working directory (npm scripts run from the repo root), because this file
// is type-checked with the renderer's config, which has no Node types (so no node:url here).
// The renderer is loaded from file:// inside Electron and from the UI server under `npm run serve`,
// so every asset URL is relative (base './').
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Electron's CSP forbids inline scripts; keep the module preload polyfill out of index.html.
    modulePreload: { polyfill: false },
    target: 'chrome130',
  },
});
