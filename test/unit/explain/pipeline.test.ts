/** The spec's explanation methods run in the pipeline and land in report.json and explanation.md. */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../../protocol/protocol';
import { prepareData } from '../../../server/src/pipeline/prepare';
import { readSpec } from '../../../server/src/pipeline/specInput';
import { parseSpec } from '../../../server/src/spec/parse';
import { explainLatestRun } from '../../../server/src/pipeline/explainRun';
import { runPipeline } from '../../../server/src/pipeline/runPipeline';
import { selectBackend } from '../../../server/src/worker/backend';

const root = resolve(__dirname, '../../..');

/**
 * diabetes standardizes its features for the model; what the report gives people to read is in the CSV's units: the
 * SHAP rows are the first validation rows as the CSV holds them, and each partial-dependence grid and decision-path
 * threshold lies within its feature's range in the CSV (bmi 18–42.2, not z-scores around 0).
 */
function expectDataUnits(report: RunReport): void {
  const spec = join(root, 'examples', 'diabetes', 'diabetes.xai.yaml');
  const data = prepareData(readSpec(spec).spec, spec);
  const j = (f: string) => data.all.features.indexOf(f);
  const range = (f: string) => { const v = data.all.x.map((r) => r[j(f)]!); return [Math.min(...v), Math.max(...v)] as const; };
  const [shap, , pd, paths] = report.explanations!.filter((e) => ['shap', 'integrated_gradients', 'partial_dependence', 'decision_paths'].includes(e.method)) as unknown as [
    { x: number[][] }, unknown, { curves: { feature: string; grid: number[] }[] }, { paths: { feature?: string; threshold?: number; value?: number }[][]; text: string[] },
  ];
  shap.x.forEach((row, r) => row.forEach((v, k) => expect(v).toBeCloseTo(data.validation.x[r]![k]!, 9)));
  expect(range('bmi')).toEqual([18, 42.2]);
  for (const c of pd.curves) {
    const [lo, hi] = range(c.feature);
    for (const g of c.grid) { expect(g).toBeGreaterThanOrEqual(lo); expect(g).toBeLessThanOrEqual(hi); }
  }
  const steps = paths.paths.flat().filter((st) => st.feature !== undefined);
  expect(steps.length).toBeGreaterThan(0);
  for (const st of steps) {
    const [lo, hi] = range(st.feature!);
    expect(st.threshold!).toBeGreaterThanOrEqual(lo);
    expect(st.threshold!).toBeLessThanOrEqual(hi);
  }
  // The text says the same numbers: the first row's first test, as the CSV has its value.
  const first = paths.paths[0]![0]!;
  expect(first.value).toBeCloseTo(data.validation.x[0]![j(first.feature!)]!, 9);
  expect(paths.text[0]).toContain(`${first.feature} = ${Number(first.value!.toPrecision(3))}`);
}

describe('explanation methods in the pipeline', () => {
  let ws: string;
  beforeAll(async () => {
    expect(await selectBackend('cpu')).toBe('cpu');
    ws = mkdtempSync(join(tmpdir(), 'xai-explain-pipeline-'));
    cpSync(join(root, 'examples', 'stock-price'), join(ws, 'stock-price'), { recursive: true, filter: (s) => !s.includes('.xai') || s.endsWith('.xai.yaml') });
    cpSync(join(root, 'examples', 'data'), join(ws, 'data'), { recursive: true });
    cpSync(join(root, 'examples', 'diabetes'), join(ws, 'diabetes'), { recursive: true, filter: (s) => !s.includes('.xai') || s.endsWith('.xai.yaml') });
  });

  const explanation = `explanation:
  - permutation_importance: { repeats: 5 }
  - shap: { samples: 4, background: 8 }
  - integrated_gradients: { samples: 10 }
  - sobol: { samples: 128, bootstrap: 10 }
  - partial_dependence: { top: 2, grid: 6 }
  - decision_paths: { samples: 2 }
  - sanity_check: { samples: 10 }
`;

  it('the schema accepts the methods and their options; an unknown option is a diagnostic on its key', () => {
    const spec = readFileSync(join(ws, 'stock-price', 'stock-price.xai.yaml'), 'utf8').replace(/explanation:[\s\S]*$/, explanation);
    expect(parseSpec(spec).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const bad = parseSpec(spec.replace('shap: { samples: 4,', 'shap: { sample: 4,'));
    expect(bad.diagnostics.some((d) => /sample/.test(d.message))).toBe(true);
  });

  it('the stock example with every method: report.json explanations with evaluations, explanation.md written', async () => {
    const path = join(ws, 'stock-price', 'explained.xai.yaml');
    const text = readFileSync(join(ws, 'stock-price', 'stock-price.xai.yaml'), 'utf8').replace(/epochs: \d+/, 'epochs: 40').replace(/explanation:[\s\S]*$/, explanation);
    writeFileSync(path, text);
    const messages: string[] = [];
    const { runDir, report } = await runPipeline(path, { backend: 'cpu', runsRoot: join(ws, 'runs'), onProgress: (p) => messages.push(p.message) });
    expect(report.importance?.features).toHaveLength(10);
    expect(report.explanations?.map((e) => e.method)).toEqual(['shap', 'integrated_gradients', 'sobol', 'partial_dependence', 'decision_paths', 'sanity_check']);
    for (const e of report.explanations!) expect(e.evaluations, e.method).toBeGreaterThan(0);
    expect(messages).toContain('Explaining: integrated gradients');
    const onDisk = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as typeof report;
    expect(onDisk.explanations).toHaveLength(6);
    expect(report.artifacts.explanation).toBe('explanation.md');
    expect(existsSync(join(runDir, 'explanation.md'))).toBe(true);
    const md = readFileSync(join(runDir, 'explanation.md'), 'utf8');
    expect(md).toContain('# Explanation report: stock-price');
    expect(md).toContain('## Caveats');
    // Ten lags of one price series are strongly correlated: the Sobol caveat says so.
    expect(md).toContain('The inputs are correlated');
    // report.html carries the same report, escaped, under its own heading.
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Explanation report</h2>');
    expect(html).toContain('# Explanation report: stock-price');
  });

  it('examples/diabetes: ridge regression with exact linear SHAP, integrated gradients equal to it from the zero baseline, a surrogate tree', async () => {
    const { runDir, report } = await runPipeline(join(ws, 'diabetes', 'diabetes.xai.yaml'), { backend: 'cpu', runsRoot: join(ws, 'runs') });
    const sanity = report.explanations![5] as unknown as { method: string; explainer: string; flagged: boolean };
    expect(sanity).toMatchObject({ method: 'sanity_check', explainer: 'integrated_gradients', flagged: false });
    const [shap, ig, sobol, pd, paths] = report.explanations! as unknown as [
      { algorithm: string; values: number[][]; maxEfficiencyGap: number }, { values: number[][]; completenessGap: number },
      { indices: { feature: string; total: number }[]; correlated: boolean }, { curves: unknown[] }, { source: string; surrogate: { fidelityHeldOut: number } },
    ];
    expect(shap.algorithm).toBe('linear_shap');
    expect(shap.maxEfficiencyGap).toBeLessThan(1e-9);
    // Standardized features have training mean 0, so IG from the zero baseline IS linear SHAP: wᵢ(xᵢ − 0).
    shap.values.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(ig.values[i]![j]! - v)).toBeLessThan(1e-5)));
    expect(ig.completenessGap).toBeLessThan(1e-9);
    expect(sobol.correlated).toBe(true); // s1 and s2, r ≈ 0.9
    expect(pd.curves).toHaveLength(3);
    expect(paths.source).toBe('surrogate');
    expect(paths.surrogate.fidelityHeldOut).toBeGreaterThan(0.5);
    expectDataUnits(report);
    const top4 = report.importance!.features.slice(0, 4).map((f) => f.feature);
    // On this split s5 leads; s1 and s2 (r ≈ 0.9) get large opposite weights, so both rank high: the Sobol
    // caveat about correlated inputs is the report's warning about exactly that.
    expect(top4[0]).toBe('s5');
    expect(top4).toEqual(expect.arrayContaining(['s1', 's2', 'bmi']));
    expect(readFileSync(join(runDir, 'explanation.md'), 'utf8')).toContain('The model clearly relies on');
  });

  it('xai explain (explainLatestRun) reruns the methods the spec lists now, without training', async () => {
    const spec = join(ws, 'diabetes', 'diabetes.xai.yaml');
    const runsRoot = join(ws, 'runs-explain');
    await runPipeline(spec, { backend: 'cpu', runsRoot });
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('  - sobol:\n      samples: 1024\n', ''));
    const { runDir, report } = await explainLatestRun(spec, { runsRoot });
    expect(report.explanations?.map((e) => e.method)).toEqual(['shap', 'integrated_gradients', 'partial_dependence', 'decision_paths', 'sanity_check']);
    expect(readFileSync(join(runDir, 'explanation.md'), 'utf8')).not.toContain('Sobol');
    expectDataUnits(report);
  });
});
