// The import graph's rules (ARCHITECTURE.md, "Rules"): checked by `npm run lint`. ESLint's
// no-restricted-imports guards single imports; this sees the whole graph, so it also catches
// cycles and an upward arrow that goes through a third module.
const CORE = '^electron/core/';
const layer = (from, forbidden, comment, except) => ({
  name: `${from}-stays-below`,
  comment,
  severity: 'error',
  from: { path: `${CORE}${from}/` },
  to: { path: `${CORE}(${forbidden.join('|')})(/|\\.ts$)`, ...(except && { pathNot: except }) },
});

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A module must not reach itself through the imports that run (a type-only import erases).',
      severity: 'error',
      from: { path: '^(electron|renderer)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'contract-is-a-leaf',
      comment: 'The contract imports only its own files and packages.',
      severity: 'error',
      from: { path: `${CORE}contract/` },
      to: { path: '^(electron|renderer)/', pathNot: `${CORE}contract/` },
    },
    {
      name: 'renderer-sees-only-the-contract',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^electron/', pathNot: `${CORE}contract/` },
    },
    {
      name: 'core-never-imports-the-page',
      severity: 'error',
      from: { path: '^electron/' },
      to: { path: '^renderer/' },
    },
    layer(
      'storage',
      ['proxy', 'api', 'export', 'cli', 'desktop', 'updates', 'app-core', 'serve'],
      'SQLite, and the pure inspect functions whose results it stores (threads).',
    ),
    layer('proxy', ['inspect', 'api', 'export', 'cli', 'desktop', 'updates', 'app-core', 'serve']),
    layer(
      'inspect',
      ['storage', 'api', 'export', 'cli', 'desktop', 'updates', 'app-core', 'serve'],
      'Meaning read from exchanges; storage calls it, not the other way (bar the worker spawner).',
      `${CORE}storage/spawn-worker\\.ts$`,
    ),
    layer(
      'export',
      ['proxy', 'api', 'cli', 'desktop', 'updates', 'app-core', 'serve'],
      'Files and OTLP from stored rows; it reads bodies with the usage parsers, nothing else of the proxy.',
      `${CORE}proxy/usage/`,
    ),
    layer('api', ['cli', 'desktop', 'updates', 'app-core', 'serve'], 'The API serves a core it is handed.'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.node.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  },
};
