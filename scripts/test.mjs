// `npm test`: everything a fresh machine needs to run the whole test suite, then the suite.
//   1. build all bundles (scripts/build.mjs);
//   2. make sure Chromium is at /usr/bin/chromium (installed from Debian when we are root with apt-get);
//   3. make sure code-server 4.100.3 is in .tools/code-server (scripts/setup-code-server.sh; skipped when present);
//   4. type-check each part (tsc -p client|server|webview|test), lint (eslint .);
//   5. vitest run: unit, LSP, worker, webview (Chromium) and workbench (code-server) tests.
// Exits non-zero at the first failing step; the output ends with vitest's summary and the plain closing line
// `tests: N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const started = Date.now();
const timings = [];

/** Runs one step with inherited output; stops `npm test` when it fails. */
function step(title, command, args, options = {}) {
  const t0 = Date.now();
  console.log(`\n▶ ${title}`);
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  const ms = Date.now() - t0;
  timings.push([title, ms]);
  if (r.error) fail(`${title}: ${r.error.message}`);
  if (r.status !== 0) fail(`${title} failed (exit ${r.status ?? r.signal}) after ${(ms / 1000).toFixed(1)} s`);
}

function fail(message) {
  console.error(`\nnpm test: ${message}`);
  process.exit(1);
}

function ensureChromium() {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(chromium)) return console.log(`\n▶ Chromium: ${chromium}`);
  const canApt = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!canApt) fail(`Chromium is missing at ${chromium}; install it with: sudo apt-get update && sudo apt-get install -y chromium`);
  step('Chromium: installing from Debian (about 90 s)', 'sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (!existsSync(chromium)) fail(`Chromium still missing at ${chromium} after apt-get install`);
}

step('build', process.execPath, [join(root, 'scripts/build.mjs')]);
ensureChromium();
step('code-server 4.100.3 in .tools/', 'bash', [join(root, 'scripts/setup-code-server.sh')]);
for (const part of ['client', 'server', 'webview', 'test']) {
  const project = existsSync(join(root, part, 'tsconfig.json')) ? join(part, 'tsconfig.json') : null;
  if (project) step(`typecheck ${part}`, bin('tsc'), ['-p', project, '--noEmit']);
}
step('lint', bin('eslint'), ['.']);

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const t0 = Date.now();
console.log('\n▶ vitest run');
// The JSON report gives the counts for the closing line below; the default reporter prints as usual.
const results = join(root, '.test-artifacts', 'vitest.json');
rmSync(results, { force: true });
const vitest = spawnSync(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`], {
  cwd: root, stdio: 'inherit', env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
});
timings.push(['vitest run', Date.now() - t0]);
console.log(`\nnpm test steps: ${timings.map(([t, ms]) => `${t} ${seconds(ms)}`).join(', ')}; total ${seconds(Date.now() - started)}`);
if (vitest.error) fail(`vitest: ${vitest.error.message}`);
// The plain closing line that CI reads: "tests: N passed, N failed[, N skipped]".
if (existsSync(results)) {
  const r = JSON.parse(readFileSync(results, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
}
process.exit(vitest.status ?? 1);
