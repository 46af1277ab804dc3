// Bundles the four programs of the extension with esbuild: the client (extension host), the language server,
// the worker (training and explanation, TensorFlow.js), the CLI, and the browser code of the webviews.
// Usage: node scripts/build.mjs [client|server|worker|cli|webview ...] [--watch]; no name builds all.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mermaidPatches } from './mermaidPatches.mjs';
import { schemaValidatorPlugin } from './schemaValidator.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The spec schema is compiled ahead of time into the node bundles (scripts/schemaValidator.mjs).
const node = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'linked', logLevel: 'warning', plugins: [schemaValidatorPlugin(root)] };

const targets = {
  client: { ...node, entryPoints: [join(root, 'client/src/extension.ts')], outfile: join(root, 'dist/client/extension.js'), external: ['vscode'] },
  server: { ...node, entryPoints: [join(root, 'server/src/lsp/server.ts')], outfile: join(root, 'dist/server/server.js') },
  // tfjs-node is optional and native: loaded at run time when present, never bundled.
  worker: { ...node, entryPoints: [join(root, 'server/src/worker/worker.ts')], outfile: join(root, 'dist/worker/worker.js'), external: ['@tensorflow/tfjs-node'] },
  cli: { ...node, entryPoints: [join(root, 'server/src/cli.ts')], outfile: join(root, 'dist/cli/xai.js'), banner: { js: '#!/usr/bin/env node' } },
  webview: {
    bundle: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: false, minify: true, logLevel: 'warning',
    entryPoints: { flowchart: join(root, 'webview/src/flowchart/main.ts'), report: join(root, 'webview/src/report/main.ts'),
      paths: join(root, 'webview/src/paths/main.ts') }, outdir: join(root, 'dist/webview'),
    // Patches that make Mermaid's render cheaper without changing its drawing (issue 7).
    plugins: [mermaidPatches()],
  },
};

/** The wasm backend loads its .wasm files from disk; ship them beside the worker bundle. */
function copyWasm() {
  const from = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  const to = join(root, 'dist/wasm');
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from)) if (f.endsWith('.wasm')) cpSync(join(from, f), join(to, f));
}

const args = process.argv.slice(2);
const watch = args.includes('--watch');
const names = args.filter((a) => !a.startsWith('--'));
const chosen = names.length ? names : Object.keys(targets);
for (const n of chosen) if (!targets[n]) { console.error(`unknown build target '${n}'; one of ${Object.keys(targets).join(', ')}`); process.exit(2); }

const started = Date.now();
if (chosen.includes('worker')) copyWasm();
if (watch) {
  for (const n of chosen) await (await esbuild.context(targets[n])).watch();
  console.log(`watching ${chosen.join(', ')}`);
} else {
  await Promise.all(chosen.map((n) => esbuild.build(targets[n])));
  console.log(`built ${chosen.join(', ')} in ${Date.now() - started} ms`);
}
