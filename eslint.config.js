import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noElectron = {
  name: 'electron',
  message: 'Only electron/main.ts and electron/preload.ts may import electron; core and renderer must run without it.',
};

// The page knows the core only through the contract: what it may ask, hear and show.
const rendererSeesOnlyTheContract = {
  regex: '(^|/)electron/(?!core/contract/)',
  message: 'The renderer may import from electron/ only electron/core/contract/**.',
};

// The contract is the leaf both sides stand on: its own files and plain packages (zod), nothing of
// storage, proxy, api or the rest of the core, so importing it never drags the core into the page.
const contractIsALeaf = {
  regex: '^\\.\\.(/|$)',
  message: 'electron/core/contract/ is a leaf: it imports only its own files and packages.',
};

const restrictImports = (...patterns) => ({
  'no-restricted-imports': ['error', { paths: [noElectron], patterns }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: [
      'electron/**/*.ts',
      'test/**/*.ts',
      'test/**/*.mjs',
      'bench/**/*.ts',
      'scripts/**/*.mjs',
      '*.js',
      '*.ts',
      '*.cjs',
    ],
    languageOptions: { globals: globals.node },
  },
  { files: ['renderer/**/*.{ts,tsx}'], languageOptions: { globals: globals.browser } },
  // The Electron glue, read against Electron's typings: what they mark deprecated goes in a later major.
  {
    files: ['electron/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.node.json', tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-deprecated': 'error' },
  },
  { files: ['electron/core/**/*.ts'], rules: restrictImports() },
  { files: ['electron/core/contract/**/*.ts'], rules: restrictImports(contractIsALeaf) },
  { files: ['renderer/**/*.{ts,tsx}'], rules: restrictImports(rendererSeesOnlyTheContract) },
);
