// Runs the workbench scenarios (suite.cjs) in a real VS Code (Electron) with @vscode/test-electron, for machines
// that have VS Code. Not part of `npm test`: where VS Code cannot be downloaded, the code-server suite
// (test/workbench/workbench.test.ts) runs the same scenarios.
//
//   npm run build
//   VSCODE_EXECUTABLE_PATH=/path/to/code node test/workbench/electron/run.mjs
//
// With VSCODE_EXECUTABLE_PATH the runner uses that VS Code and downloads nothing; without it @vscode/test-electron
// downloads VS Code 1.100.3 (needs internet). User data, extensions and the workspace live in a temporary folder,
// removed afterwards. Exits non-zero when a scenario fails.
import { runTests } from '@vscode/test-electron';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
if (!existsSync(join(root, 'dist', 'client', 'extension.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}

const tmp = mkdtempSync(join(tmpdir(), 'xai-electron-'));
const ws = join(tmp, 'workspace');
cpSync(join(root, 'examples'), ws, { recursive: true, filter: (src) => !src.includes('/.xai') });
const specPath = join(ws, 'stock-price', 'stock-price.xai.yaml');
const spec = readFileSync(specPath, 'utf8');
// Shorter training: the scenarios check the wiring, not the model.
writeFileSync(specPath, spec.replace(/^(\s*epochs:\s*)\d+/m, '$160').replace(/^(\s*repeats:\s*)\d+/m, '$15'));
// One key misspelled, beside the example so that its data path still resolves.
writeFileSync(join(ws, 'stock-price', 'broken.xai.yaml'), spec.replace(/^model:/m, 'modle:'));
// A long training for the Cancel scenario.
writeFileSync(join(ws, 'stock-price', 'long.xai.yaml'), spec.replace(/^(\s*epochs:\s*)\d+/m, '$15000'));
mkdirSync(join(tmp, 'ud'), { recursive: true });

const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH || undefined;
let code = 0;
try {
  await runTests({
    ...(vscodeExecutablePath ? { vscodeExecutablePath } : { version: '1.100.3' }),
    extensionDevelopmentPath: root,
    extensionTestsPath: join(here, 'suite.cjs'),
    extensionTestsEnv: { XAI_TEST_WORKSPACE: ws },
    launchArgs: [
      ws, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
      `--user-data-dir=${join(tmp, 'ud')}`, `--extensions-dir=${join(tmp, 'ext')}`,
    ],
  });
} catch (e) {
  console.error(`workbench (electron): ${e instanceof Error ? e.message : e}`);
  code = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
