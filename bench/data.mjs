// `npm run bench` (data part): load and preprocess a generated 1 000 000-row × 20-column CSV (14 numeric columns
// with 5 % missing cells, 6 categorical columns with 3–50 categories and 2 % missing cells), each side in its own
// child process so that peak memory is its own:
//   - XAI Pipelines: server/src/data/frame (streamed columnar loader → impute mean / most frequent → standardize →
//     one-hot), bundled with esbuild;
//   - pandas (when python3 has it): scripts/reference/data_bench_pandas.py, the same steps.
// Prints wall time, peak RSS (the child's own maxRSS) and the ratio; both sides print the sum and the sum of squares
// of every feature value, which must agree (the same imputation, scaling and encoding). Usage: node bench/data.mjs [--rows N]   (also run by bench/run.mjs)
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
// The worker's V8 flags, read from their one source (a TypeScript module: take the array literal).
const WORKER_NODE_FLAGS = JSON.parse(/WORKER_NODE_FLAGS[^=]*=\s*(\[[^\]]*\])/.exec(readFileSync(join(root, 'server/src/worker/nodeFlags.ts'), 'utf8'))[1].replace(/'/g, '"'));
// Debian's python3 (with python3-pandas), not whatever python3 comes first on PATH.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** The child: load + preprocess, print figures as one JSON line. */
function child(file) {
  const d = require(join(root, 'dist', 'bench', 'data-engine.js'));
  const t0 = performance.now();
  const { frame } = d.loadCsvFrame(file);
  const n = frame.lines.length;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const num = frame.columns.filter((c) => c.kind !== 'categorical').map((c) => c.name);
  const cat = frame.columns.filter((c) => c.kind === 'categorical').map((c) => c.name);
  let f = frame;
  for (const step of [d.fitImpute(f, all, num, 'mean'), d.fitImpute(f, all, cat, 'most_frequent')]) f = d.applyFitted(f, step).frame;
  f = d.applyFitted(f, d.fitStandardize(f, all, num)).frame;
  f = d.applyFitted(f, d.fitOneHot(f, all, cat, 'ignore')).frame;
  const ms = performance.now() - t0;
  let checksum = 0, sumsq = 0;
  for (const c of f.columns) for (const v of c.values) { checksum += v; sumsq += v * v; }
  process.stdout.write(`${JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, rows: n, features: f.columns.length, checksum, sumsq })}\n`);
}

async function generate(path, rows) {
  // A small LCG keeps the file the same on every run.
  let s = 12345;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  const cards = [3, 5, 8, 12, 20, 50];
  const header = [...Array.from({ length: 14 }, (_, j) => `x${j}`), ...cards.map((_, j) => `c${j}`)];
  const out = createWriteStream(path);
  out.write(`${header.join(',')}\n`);
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const cells = [];
    for (let j = 0; j < 14; j++) cells.push(rnd() < 0.05 ? (j % 2 ? 'NA' : '') : ((rnd() - 0.3) * (10 ** (j % 4))).toFixed(3));
    for (let j = 0; j < cards.length; j++) cells.push(rnd() < 0.02 ? '' : `cat${j}_${Math.floor(rnd() * cards[j])}`);
    buf += `${cells.join(',')}\n`;
    if (buf.length > 1 << 20) { if (!out.write(buf)) await new Promise((r) => out.once('drain', r)); buf = ''; }
  }
  out.write(buf);
  await new Promise((r) => out.end(r));
}

function runChild(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-1)[0] };
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

export async function benchData(rows = 1_000_000) {
  const esbuild = await import('esbuild');
  mkdirSync(join(root, 'dist', 'bench'), { recursive: true });
  await esbuild.build({
    stdin: {
      contents: [
        "export { loadCsvFrame } from './server/src/data/frame/load';",
        "export { applyFitted, fitImpute, fitOneHot, fitStandardize } from './server/src/data/frame/fitted';",
      ].join('\n'),
      resolveDir: root, loader: 'ts',
    },
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: join(root, 'dist', 'bench', 'data-engine.js'), logLevel: 'warning',
  });
  const dir = mkdtempSync(join(tmpdir(), 'xai-bench-data-'));
  try {
    const file = join(dir, 'data.csv');
    const g0 = performance.now();
    await generate(file, rows);
    const mb = statSync(file).size / 2 ** 20;
    console.log(`data: ${rows} rows × 20 columns, ${mb.toFixed(0)} MiB CSV generated in ${((performance.now() - g0) / 1000).toFixed(1)} s`);
    // The worker process runs with this young-generation size (server/src/worker/nodeFlags.ts); so does the child.
    const js = runChild(process.execPath, [...WORKER_NODE_FLAGS, fileURLToPath(import.meta.url), '--child', file]);
    const hasPandas = spawnSync(PYTHON, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0;
    const py = hasPandas ? runChild(PYTHON, [join(root, 'scripts', 'reference', 'data_bench_pandas.py'), file]) : { error: 'pandas not installed (apt-get install python3-pandas)' };
    const { default: Table } = await import('cli-table3');
    const t = new Table({ style: { head: [], border: [] }, head: ['load + impute + standardize + one-hot', 'wall s', 'peak RSS MiB', 'features', 'Σ x', 'Σ x²'] });
    const row = (name, r) => (r.error ? [name, '—', '—', '—', r.error, ''] : [name, (r.ms / 1000).toFixed(2), (r.maxRssKb / 1024).toFixed(0), r.features, r.checksum.toFixed(3), r.sumsq.toFixed(3)]);
    t.push(row('XAI Pipelines (columnar, JS)', js), row('pandas', py));
    if (!js.error && !py.error) t.push(['ratio XAI / pandas', (js.ms / py.ms).toFixed(2), (js.maxRssKb / py.maxRssKb).toFixed(2), '', '', '']);
    console.log(t.toString());
    return { js, py };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') child(process.argv[3]);
else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--rows');
  await benchData(i > 0 ? Number(process.argv[i + 1]) : undefined);
}
