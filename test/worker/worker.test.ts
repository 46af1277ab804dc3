/**
 * The REAL worker: the built bundle forked as a child process by `runJob`, on the real stocks CSV.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FittedPreprocessing } from '../../server/src/data/standardize';
import { loadMlp } from '../../server/src/models/mlp';
import { rmse } from '../../server/src/models/metrics';
import { prepareData } from '../../server/src/pipeline/prepare';
import { rawPredictor } from '../../server/src/pipeline/runPipeline';
import { specRunsDir } from '../../server/src/pipeline/runs';
import { readSpec } from '../../server/src/pipeline/specInput';
import { selectBackend } from '../../server/src/worker/backend';
import { runJob } from '../../server/src/worker/client';
import type { WorkerProgress } from '../../server/src/worker/jobs';

const root = join(__dirname, '../..');
const workerPath = join(root, 'dist/worker/worker.js');
const exampleSpec = readFileSync(join(root, 'examples/stock-price/stock-price.xai.yaml'), 'utf8');
const RUN_FILES = ['model/model.json', 'model/weights.bin', 'preprocessing.json', 'report.json', 'report.html', 'predictions.json'];

/** A temp copy of the example (spec in stock-price/, data in data/) with `epochs` epochs. */
function exampleCopy(epochs: number, edit: (spec: string) => string = (s) => s): string {
  const dir = mkdtempSync(join(tmpdir(), 'xai-worker-'));
  mkdirSync(join(dir, 'stock-price'));
  mkdirSync(join(dir, 'data'));
  cpSync(join(root, 'examples/data/stocks.csv'), join(dir, 'data/stocks.csv'));
  const spec = join(dir, 'stock-price/stock-price.xai.yaml');
  writeFileSync(spec, edit(exampleSpec.replace(/epochs: \d+/, `epochs: ${epochs}`)));
  return spec;
}

/** The last-value baseline's validation RMSE computed directly from the CSV (MSFT rows are in date order). */
function baselineRmseFromCsv(): number {
  const prices = readFileSync(join(root, 'examples/data/stocks.csv'), 'utf8').trim().split('\n').slice(1)
    .map((l) => l.split(',')).filter((c) => c[0] === 'MSFT').map((c) => Number(c[2]));
  const targets = prices.slice(10); // 113 rows with 10 complete lags
  const validation = targets.slice(90); // the last 23
  const lastValues = prices.slice(10 + 90 - 1, prices.length - 1);
  return rmse(validation, lastValues);
}

/** Visible run folders must be complete; returns their names. */
function visibleRuns(specPath: string): string[] {
  const dir = specRunsDir(specPath);
  if (!existsSync(dir)) return [];
  const runs = readdirSync(dir).filter((n) => !n.startsWith('.') && n !== 'latest');
  for (const r of runs) for (const f of RUN_FILES) expect(existsSync(join(dir, r, f)), `${r}/${f}`).toBe(true);
  return runs;
}

describe('worker process on the real stocks CSV', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), 'worker'], { cwd: root, stdio: 'pipe' });
  });

  it('trains, evaluates and explains MSFT with 10 lags; the report and the artifacts hold the real figures', async () => {
    const specPath = exampleCopy(25);
    const progress: WorkerProgress[] = [];
    let pid = 0;
    const result = await runJob({ kind: 'train', specPath, backend: 'auto' }, { workerPath, onProgress: (p) => progress.push(p), onStart: (p) => { pid = p; } });
    expect(result.message).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(pid).toBeGreaterThan(0);
    const report = result.report!;
    const runDir = result.runDir!;

    expect(report.features).toEqual(Array.from({ length: 10 }, (_, i) => `price_lag${i + 1}`));
    expect(report.target).toBe('price');
    expect(report.data).toMatchObject({ rows: 113, trainRows: 90, validationRows: 23 });
    expect(report.steps.map((s) => [s.step, s.rowsIn, s.rowsOut])).toEqual([
      ['load', 560, 560], ['filter', 560, 123], ['sort', 123, 123], ['lags', 123, 113], ['split', 113, 113], ['target_transform', 113, 113], ['standardize', 90, 90],
    ]);
    expect(report.steps[3]!.detail).toMatch(/10 rows with incomplete lags dropped/);
    expect(report.backend).toBe('wasm'); // tfjs-node is absent here, wasm is next
    expect(report.history).toHaveLength(25);
    expect(progress.filter((p) => p.stage === 'train').map((p) => p.epoch)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(report.model).toEqual({ type: 'mlp', layers: [{ units: 10, activation: 'relu' }, { units: 1, activation: 'linear' }], parameters: 10 * 10 + 10 + 10 + 1 });

    const m = report.metrics;
    expect(Number.isFinite(m.model.rmse) && m.model.rmse > 0).toBe(true);
    expect(m.baseline.name).toBe('last value (price_lag1)');
    expect(m.baseline.rmse).toBeCloseTo(baselineRmseFromCsv(), 10);
    expect(m.baseline.rmse).toBeCloseTo(1.7163, 4);

    const imp = report.importance!;
    expect(imp.features.map((f) => f.feature).sort()).toEqual([...report.features].sort());
    expect(imp.repeats).toBe(10);
    expect(imp.evaluations).toBe(23 * (1 + 10 * 10));
    expect(imp.baselineScore).toBeCloseTo(m.model.rmse, 5);
    for (const f of imp.features) { expect(f.values).toHaveLength(10); expect(Number.isFinite(f.mean) && f.std >= 0).toBe(true); }

    for (const f of RUN_FILES) expect(existsSync(join(runDir, f)), f).toBe(true);
    expect(JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8'))).toEqual(report);
    expect(readFileSync(join(specRunsDir(specPath), 'latest'), 'utf8').trim()).toBe(report.runId);
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html).toMatch(/<html/i);
    expect(report.spec.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.data.sha256).toMatch(/^[0-9a-f]{64}$/);

    // The saved model, reloaded on the same backend with the saved preprocessing, predicts what training predicted.
    await selectBackend(report.backend);
    const fitted = JSON.parse(readFileSync(join(runDir, 'preprocessing.json'), 'utf8')) as FittedPreprocessing;
    expect(Object.keys(fitted.standardize.features)).toEqual(report.features);
    expect(fitted.standardize.target).toBeDefined();
    // The model learns the change from the last price; rawPredictor adds price_lag1 back (prices, as in predictions.json).
    expect(fitted.target_transform).toEqual({ method: 'difference', relative_to: 'price_lag1' });
    const saved = JSON.parse(readFileSync(join(runDir, 'predictions.json'), 'utf8')) as { rows: { model: number; target: number }[] };
    const data = prepareData(readSpec(specPath).spec, specPath);
    const model = await loadMlp(join(runDir, 'model'));
    const again = rawPredictor(model, fitted)(data.validation.x);
    model.dispose();
    expect(again).toEqual(saved.rows.map((r) => r.model));
    expect(rmse(saved.rows.map((r) => r.target), again)).toBeCloseTo(m.model.rmse, 10);
  });

  it('explain recomputes the importance of the latest run without training', async () => {
    const specPath = exampleCopy(5);
    const trained = await runJob({ kind: 'train', specPath, backend: 'cpu' }, { workerPath });
    expect(trained.ok).toBe(true);
    const explained = await runJob({ kind: 'explain', specPath, backend: 'cpu' }, { workerPath });
    expect(explained.ok).toBe(true);
    expect(explained.runDir).toBe(trained.runDir);
    // Same model, same data, same seed: the same importance.
    expect(explained.report!.importance).toEqual(trained.report!.importance);
    expect(JSON.parse(readFileSync(join(trained.runDir!, 'report.json'), 'utf8')).importance).toEqual(trained.report!.importance);
  });

  it('a worker killed mid-run is reported with its signal, leaves no visible partial run, and the next run cleans up', async () => {
    const specPath = exampleCopy(4);
    const first = await runJob({ kind: 'train', specPath }, { workerPath });
    expect(first.ok).toBe(true);
    const long = exampleCopy(100000);
    // Same runs folder as the first spec: point the long spec at it.
    writeFileSync(specPath, readFileSync(long, 'utf8'));
    let pid = 0;
    const killed = await runJob({ kind: 'train', specPath }, {
      workerPath, onStart: (p) => { pid = p; },
      onProgress: (p) => { if (p.epoch === 3) process.kill(pid, 'SIGKILL'); },
    });
    expect(killed.ok).toBe(false);
    expect(killed.cancelled).toBeUndefined();
    expect(killed.message).toMatch(/killed by SIGKILL/);
    expect(visibleRuns(specPath)).toEqual([first.report!.runId]);
    expect(readFileSync(join(specRunsDir(specPath), 'latest'), 'utf8').trim()).toBe(first.report!.runId);

    // A crashed writer's hidden temp folder is removed by the next run.
    const stale = join(specRunsDir(specPath), `.tmp-20200101-000000-000-dead-${2 ** 22 + 99}`);
    mkdirSync(stale);
    writeFileSync(specPath, exampleSpec.replace(/epochs: \d+/, 'epochs: 3'));
    const next = await runJob({ kind: 'train', specPath }, { workerPath });
    expect(next.ok).toBe(true);
    expect(existsSync(stale)).toBe(false);
    expect(visibleRuns(specPath).sort()).toEqual([first.report!.runId, next.report!.runId].sort());
  });

  it('aborting cancels: the worker is killed and the result says cancelled', async () => {
    const specPath = exampleCopy(100000);
    const controller = new AbortController();
    const result = await runJob({ kind: 'train', specPath }, { workerPath, signal: controller.signal, onProgress: (p) => { if (p.epoch === 2) controller.abort(); } });
    expect(result).toMatchObject({ ok: false, cancelled: true });
    expect(visibleRuns(specPath)).toEqual([]);
  });

  it('bad data and a bad spec fail with a located message, not a crash', async () => {
    const badData = exampleCopy(3);
    const csv = join(badData, '../../data/stocks.csv');
    writeFileSync(csv, readFileSync(csv, 'utf8').replace('MSFT,Mar 1 2000,43.22', 'MSFT,Mar 1 2000,n/a'));
    const r1 = await runJob({ kind: 'train', specPath: badData }, { workerPath });
    expect(r1.ok).toBe(false);
    expect(r1.message).toMatch(/stocks\.csv \(line 4, column 'price'\): 'n\/a' is not a number/);

    const badSpec = exampleCopy(3, (s) => s.replace('epochs: 3', 'epochs: three'));
    const r2 = await runJob({ kind: 'train', specPath: badSpec }, { workerPath });
    expect(r2.ok).toBe(false);
    expect(r2.message).toMatch(/stock-price\.xai\.yaml:\d+:\d+: error: .*\[[a-z-]+\]/);

    const missing = await runJob({ kind: 'train', specPath: badSpec }, { workerPath: join(root, 'dist/worker/nope.js') });
    expect(missing.message).toMatch(/worker bundle .*nope\.js is missing/);
    const noRun = await runJob({ kind: 'explain', specPath: exampleCopy(3) }, { workerPath });
    expect(noRun.message).toMatch(/no finished run to explain yet/);
  });
});
