/**
 * Must-show 1 (runtime feedback): results of runs flow back into the spec, through the built server over stdio.
 * Real runs of the real worker on the real stock CSV: a learning rate that makes the loss NaN becomes an error on
 * `learning_rate`; a finished run's permutation importance becomes inlay hints on the lag step's `count`, a
 * feature whose interval covers 0 a hint with a quick fix that drops it, and an edit marks it all stale.
 * Reports written into a run folder (the shape the worker writes) for over-fitting and leakage, which a short
 * real run does not produce on demand.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CodeActionRequest, DiagnosticSeverity, InlayHintRequest, type CodeAction, type Diagnostic, type InlayHint,
} from 'vscode-languageserver-protocol';
import type { FeatureImportance, RunResult } from '../../protocol/protocol';
import { SPEC_V1 } from '../unit/spec/fixture';
import { buildServer, TestClient } from './lspClient';
import { makeWorkspace, range, tokenRange, variant, variants } from './specHelpers';

const ws = makeWorkspace('xai-lsp-feedback-');
let client: TestClient;

beforeAll(async () => {
  buildServer(['server', 'worker']);
  client = await TestClient.start();
});
afterAll(async () => {
  await client?.stop();
  rmSync(ws.dir, { recursive: true, force: true });
});

const sha = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');
const fmt = (x: number): string => (x === 0 || Math.abs(x) >= 0.01 ? x.toFixed(2) : x.toPrecision(2));
const endOfLine = (text: string, fragment: string): { line: number; character: number } => {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(fragment));
  return { line, character: lines[line]!.length };
};

/** Trains the open spec and waits for the diagnostics published after the run. */
async function train(uri: string): Promise<{ result: RunResult; diagnostics: Diagnostic[] }> {
  const from = client.diagnostics.all.length;
  const result = (await client.connection.sendRequest('xai/train', { uri })) as RunResult;
  const diagnostics = (await client.diagnostics.next((p) => p.uri === uri, from)).diagnostics;
  return { result, diagnostics };
}

async function hints(uri: string, text: string): Promise<InlayHint[]> {
  const lines = text.split('\n').length;
  return (await client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: range(0, 0, lines, 0) })) ?? [];
}

describe('feedback from runs over stdio', () => {
  it('a run whose loss becomes NaN puts an error on the learning rate, until the spec changes', async () => {
    const text = variants([['optimizer: adam', 'optimizer: sgd'], ['learning_rate: 0.01', 'learning_rate: 10'], ['epochs: 300', 'epochs: 5']]);
    const uri = ws.specUri('diverges', text);
    await client.open(uri, text);
    await client.diagnosticsFor(uri, 1);
    const { result, diagnostics } = await train(uri);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^training diverged at epoch 1: the loss is NaN/);
    const lr = tokenRange(text, 'learning_rate: 10', '10');
    expect(diagnostics.filter((d) => d.code === 'run-diverged')).toEqual([{
      range: lr, severity: DiagnosticSeverity.Error, code: 'run-diverged', source: 'xai-pipelines',
      message: 'Training diverged in the last run: the loss became NaN at epoch 1. Lower the learning rate of 10 (e.g. to 0.001) or standardize the features and target.',
    }]);
    // Lowering the learning rate: the run no longer describes this spec.
    const v2 = await client.change(uri, [{ range: lr, text: '0.001' }]);
    expect((await client.diagnosticsFor(uri, v2)).diagnostics.map((d) => d.code)).toEqual([]);
    await client.close(uri);
  });

  it('a finished run shows each lag\'s importance on the count line, hints at features whose interval covers 0, and goes stale on edit', async () => {
    // Three repeats: Student-t intervals (2 degrees of freedom) wide enough that the weak lags' cover 0.
    const text = variants([['epochs: 300', 'epochs: 40'], ['repeats: 10', 'repeats: 3']]);
    const uri = ws.specUri('trained', text);
    await client.open(uri, text);
    await client.diagnosticsFor(uri, 1);
    const { result, diagnostics } = await train(uri);
    expect(result.ok).toBe(true);
    const features = result.report!.importance!.features;
    expect(features).toHaveLength(10);

    const count = tokenRange(text, 'count: 10', '10');
    const lag = (f: FeatureImportance): string => `lag${f.feature.replace('price_lag', '')} ${fmt(f.mean)} ± ${fmt(f.std)}`;
    const got = await hints(uri, text);
    expect(got.map((h) => [h.position, h.label])).toEqual([[count.end, ` ${features.map(lag).join(' · ')}`]]);

    // Every feature whose confidence interval covers 0 gets a hint on the count line, with a fix that lists the others.
    const covers = features.filter((f) => f.ci![0] <= 0 && f.ci![1] >= 0);
    const unimportant = diagnostics.filter((d) => d.code === 'feature-unimportant');
    expect(unimportant.map((d) => [d.range, d.severity, d.message])).toEqual(covers.map((f) => [count, DiagnosticSeverity.Hint,
      `'${f.feature}' is indistinguishable from unimportant in the run of ${result.report!.createdAt}: its permutation importance ${fmt(f.mean)} ` +
      `has the interval [${fmt(f.ci![0])}, ${fmt(f.ci![1])}], which covers 0. Dropping it may simplify the model at no cost.`]));
    expect(diagnostics.filter((d) => d.code !== 'feature-unimportant')).toEqual([]);
    // The run is seeded: on this data some lags are always within noise of 0.
    expect(covers.length).toBeGreaterThan(0);
    {
      const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri }, range: count, context: { diagnostics: [unimportant[0]!] },
      })) as CodeAction[];
      const dropped = covers[0]!.feature;
      const rest = result.report!.features.filter((f) => f !== dropped);
      const sourceLine = tokenRange(text, 'source:', 'source').start.line;
      expect(actions.map((a) => [a.title, a.edit])).toEqual([[`Drop '${dropped}' from the features`,
        { changes: { [uri]: [{ range: range(sourceLine, 0, sourceLine, 0), newText: `  features: [${rest.join(', ')}]\n` }] } }]]);
    }

    // An edit: the results are stale; the hints say so and the feedback gives way to one note.
    const v2 = await client.change(uri, [{ range: tokenRange(text, 'seed: 42', '42'), text: '7' }]);
    const stale = (await client.diagnosticsFor(uri, v2)).diagnostics;
    expect(stale).toEqual([{
      range: range(0, 0, 0, SPEC_V1.indexOf('\n')), severity: DiagnosticSeverity.Information, code: 'run-stale', source: 'xai-pipelines',
      message: `The results of the run of ${result.report!.createdAt} are stale: the spec has changed since; train again to update them.`,
    }]);
    expect((await hints(uri, text)).map((h) => h.label)).toEqual([` ${features.map(lag).join(' · ')} (stale)`]);
    await client.close(uri);
  });

  it('a run whose validation loss rose while the training loss fell warns on epochs; a feature carrying a near-perfect model warns of leakage', async () => {
    const text = variant('  target: price\n', '  target: price\n  features:\n    - price_lag1\n    - price_lag2\n');
    const uri = ws.specUri('crafted', text);
    const runsDir = join(ws.dir, 'specs/.xai/runs/crafted');
    const runId = '20261129-120000-000-abcd';
    mkdirSync(join(runsDir, runId), { recursive: true });
    // Training loss falls all along; validation loss is lowest at epoch 20 (0.5), then climbs to 0.9.
    const history = Array.from({ length: 60 }, (_, i) => ({ epoch: i + 1, loss: 1 / (i + 1), valLoss: i < 20 ? 1 - i * 0.025 : 0.525 + (i - 19) * (0.375 / 40) }));
    history[19]!.valLoss = 0.5;
    const imp = (feature: string, values: number[]): FeatureImportance => {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
      return { feature, mean, std, values };
    };
    const report = {
      reportVersion: 1, runId, createdAt: '2026-11-29T12:00:00.000Z',
      spec: { name: 'stock-price', path: join(ws.dir, 'specs/crafted.xai.yaml'), sha256: sha(text) },
      data: { path: join(ws.dir, 'data/stocks.csv'), sha256: sha(readFileSync(join(ws.dir, 'data/stocks.csv'))), rows: 113, trainRows: 90, validationRows: 23 },
      task: 'regression', target: 'price', features: ['price_lag1', 'price_lag2'],
      metrics: { split: 'validation', model: { rmse: 0.1, mae: 0.1, r2: 0.995 }, baseline: { name: 'mean', rmse: 1, mae: 1, r2: 0 } },
      history,
      importance: {
        method: 'permutation_importance', metric: 'rmse', split: 'validation', repeats: 4, baselineScore: 0.1, evaluations: 184,
        features: [imp('price_lag1', [9.5, 10, 10.5, 10]), imp('price_lag2', [0.2, -0.1, 0.1, -0.2])],
      },
    };
    writeFileSync(join(runsDir, runId, 'report.json'), JSON.stringify(report));
    writeFileSync(join(runsDir, 'latest'), `${runId}\n`);

    await client.open(uri, text);
    const ds = (await client.diagnosticsFor(uri, 1)).diagnostics;
    const lag1 = tokenRange(text, '- price_lag1', 'price_lag1');
    const lag2 = tokenRange(text, '- price_lag2', 'price_lag2');
    const when = 'the run of 2026-11-29T12:00:00.000Z';
    expect(ds).toEqual([
      {
        range: lag1, severity: DiagnosticSeverity.Warning, code: 'feature-leakage', source: 'xai-pipelines',
        message: `Possible leakage in ${when}: 'price_lag1' alone carries 100 % of the importance of a model scoring 0.995; check that it is not derived from the target 'price' or known only after it.`,
      },
      {
        range: lag2, severity: DiagnosticSeverity.Hint, code: 'feature-unimportant', source: 'xai-pipelines',
        message: `'price_lag2' is indistinguishable from unimportant in ${when}: its permutation importance 0.00 has the interval [-0.18, 0.18], which covers 0. Dropping it may simplify the model at no cost.`,
        data: { fixes: [{ title: "Drop 'price_lag2' from the features", edits: [{ range: range(lag2.start.line, 0, lag2.start.line + 1, 0), newText: '' }] }] },
      },
      {
        range: tokenRange(text, 'epochs: 300', '300'), severity: DiagnosticSeverity.Warning, code: 'run-overfitting', source: 'xai-pipelines',
        message: `Over-fitting in ${when}: the validation loss rose from 0.50 at epoch 20 to 0.90 at epoch 60 while the training loss fell from 0.05 to 0.02; about 20 epochs would do, or stop early on the validation loss.`,
      },
    ]);
    // One hint per listed feature, right after its name.
    expect((await hints(uri, text)).map((h) => [h.position, h.label])).toEqual([
      [lag1.end, ' 10.00 ± 0.41'], [lag2.end, ' 0.00 ± 0.18'],
    ]);
    expect(endOfLine(text, '- price_lag1')).toEqual(lag1.end);
    await client.close(uri);
  });
});
