// Lint for the whole project (flat config): typescript-eslint's recommended rules, plus the architecture's walls
// as `no-restricted-imports` rules so that a crossing fails `npm run lint` and `npm test`, not only review:
// - the engine (server/src/{spec,data,models,explain,pipeline,report,worker}, server/src/cli.ts) runs in the CLI and
//   the worker too, so it imports neither `vscode` nor the LSP libraries;
// - the webview runs in a browser sandbox: nothing from Node, nothing from the server (only protocol/);
// - the client knows the server only through protocol/.
import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_'));

/** Globals of Node scripts (.mjs/.js): enough for our build, test and bench scripts. */
const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'setTimeout', 'clearTimeout', 'setInterval',
    'clearInterval', 'setImmediate', 'performance', 'fetch', 'AbortController', 'structuredClone', 'TextDecoder',
    'TextEncoder', '__dirname', '__filename', 'require', 'module', 'exports', 'queueMicrotask']
    .map((g) => [g, 'readonly']),
);

const engine = [
  'server/src/spec/**', 'server/src/data/**', 'server/src/models/**', 'server/src/explain/**',
  'server/src/pipeline/**', 'server/src/report/**', 'server/src/worker/**', 'server/src/cli.ts',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**', 'dist-vsix/**', '.tools/**', 'node_modules/**', '**/.xai/**', '.test-artifacts/**', 'coverage/**',
      '.vscode-test/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    // CommonJS files (e.g. the @vscode/test-electron suite that VS Code loads with require) use require.
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      // `_`-prefixed parameters and variables are deliberate (unused by contract).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: engine,
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The engine runs in the CLI and the worker too: no `vscode` here (use protocol/ types).' }],
        patterns: [{
          regex: '^vscode-language(server|client)',
          message: 'The engine must not depend on LSP libraries: keep LSP code in server/src/lsp/.',
        }],
      }],
    },
  },
  {
    files: ['webview/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.map((name) => ({ name, message: 'Webviews run in a browser: no Node modules.' })),
        patterns: [
          { regex: '^node:', message: 'Webviews run in a browser: no Node modules.' },
          { regex: '^vscode$', message: 'Webviews talk to the host through messages (protocol/), not the vscode API.' },
          { regex: '^(\\.\\./)+server(/|$)|^server/', message: 'Webviews import nothing from the server: only protocol/.' },
        ],
      }],
    },
  },
  {
    files: ['client/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: '^(\\.\\./)+server(/|$)|^server/',
          message: 'The client knows the server only through protocol/: never import the engine or the LSP code.',
        }],
      }],
    },
  },
);
