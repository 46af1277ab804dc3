import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Range, RunReport } from '../../../protocol/protocol';
import { buildFlowGraph, MAX_FEATURE_NODES } from '../../../server/src/report/flowGraph';
import { parseSpec, type SpecDiagnostic } from '../../../server/src/spec/parse';

const ROOT = join(__dirname, '..', '..', '..');
const SPEC_TEXT = readFileSync(join(ROOT, 'examples/stock-price/stock-price.xai.yaml'), 'utf8');
const REPORT = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/stock-price/report.json'), 'utf8')) as RunReport;

/** The spec text a range covers. */
function textAt(text: string, range: Range | undefined): string {
  expect(range).toBeDefined();
  const lines = text.split('\n');
  const offset = (line: number, ch: number): number => lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0) + ch;
  return text.slice(offset(range!.start.line, range!.start.character), offset(range!.end.line, range!.end.character));
}

describe('buildFlowGraph on the stock-price example', () => {
  const graph = buildFlowGraph(parseSpec(SPEC_TEXT));
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));

  it('has the pipeline stages in order, one node per lag feature, the layers and the feedback edge', () => {
    expect(graph.specName).toBe('stock-price');
    expect(graph.nodes.filter((n) => n.kind !== 'feature').map((n) => `${n.kind}:${n.label}`)).toEqual([
      'source:stocks.csv', 'step:filter', 'step:sort', 'step:lags', 'step:split', 'step:standardize',
      'model:MLP', 'layer:Input · 10 features', 'layer:Dense 10 · ReLU', 'layer:Dense 1 · linear',
      'output:price', 'explainer:Permutation importance', 'spec:stock-price',
    ]);
    const features = graph.nodes.filter((n) => n.kind === 'feature');
    expect(features.map((n) => n.feature)).toEqual(Array.from({ length: 10 }, (_, i) => `price_lag${i + 1}`));
    expect(features.map((n) => n.label)).toEqual(features.map((n) => n.feature));
    expect(byId.get('n_filter')?.detail).toBe('symbol = MSFT');
    expect(byId.get('n_step1_split')?.detail).toBe('chronological · 20 % validation');
    expect(byId.get('n_model')?.detail).toBe('adam · mse · 300 epochs');
    expect(byId.get('n_explain0_permutation_importance')?.detail).toBe('10 repeats · validation · rmse');
    // The chain, the fan-out to features and the fan-in to the input layer.
    const edges = graph.edges.map((e) => `${e.from}>${e.to}`);
    expect(edges.slice(0, 5)).toEqual(['n_source>n_filter', 'n_filter>n_sort', 'n_sort>n_step0_lags', 'n_step0_lags>n_step1_split',
      'n_step1_split>n_step2_standardize']);
    for (const f of features) {
      expect(edges).toContain(`n_step2_standardize>${f.id}`);
      expect(edges).toContain(`${f.id}>n_layer_in`);
    }
    expect(edges.slice(-5)).toEqual(['n_layer_in>n_layer1', 'n_layer1>n_layer_out', 'n_layer_out>n_output',
      'n_output>n_explain0_permutation_importance', 'n_explain0_permutation_importance>n_spec']);
    expect(graph.edges.at(-1)?.label).toBe('0 diagnostics');
  });

  it('gives Mermaid-safe, unique, stable ids', () => {
    const ids = graph.nodes.map((n) => n.id);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_]+$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(buildFlowGraph(parseSpec(SPEC_TEXT))).toEqual(graph);
    for (const e of graph.edges) expect(byId.has(e.from) && byId.has(e.to)).toBe(true);
  });

  it('puts every node on its place in the spec', () => {
    for (const n of graph.nodes) expect(n.range, n.id).toBeDefined();
    expect(textAt(SPEC_TEXT, byId.get('n_source')!.range)).toBe('../data/stocks.csv');
    expect(textAt(SPEC_TEXT, byId.get('n_filter')!.range)).toBe('filter');
    expect(textAt(SPEC_TEXT, byId.get('n_sort')!.range)).toBe('sort');
    expect(textAt(SPEC_TEXT, byId.get('n_step0_lags')!.range)).toBe('lags');
    expect(textAt(SPEC_TEXT, byId.get('n_step2_standardize')!.range)).toBe('standardize');
    expect(textAt(SPEC_TEXT, byId.get('n_feat_price_lag7')!.range)).toBe('10'); // the lag count that makes it
    expect(textAt(SPEC_TEXT, byId.get('n_layer1')!.range)).toMatch(/^units: 10\s+activation: relu/);
    expect(textAt(SPEC_TEXT, byId.get('n_output')!.range)).toBe('price');
    expect(textAt(SPEC_TEXT, byId.get('n_explain0_permutation_importance')!.range)).toBe('permutation_importance');
    expect(textAt(SPEC_TEXT, byId.get('n_spec')!.range)).toBe('stock-price');
    expect(byId.get('n_feat_price_lag7')!.range!.start.line).toBe(SPEC_TEXT.split('\n').findIndex((l) => l.includes('count: 10')));
  });
});

describe('buildFlowGraph with a report', () => {
  it('takes the features and layers the model really used and shows the metrics', () => {
    const report: RunReport = { ...REPORT, features: ['price_lag1', 'price_lag2', 'volume'],
      model: { ...REPORT.model, layers: [{ units: 8, activation: 'tanh' }, { units: 4, activation: 'relu' }, { units: 1, activation: 'linear' }] } };
    const graph = buildFlowGraph(parseSpec(SPEC_TEXT), report);
    expect(graph.nodes.filter((n) => n.kind === 'feature').map((n) => n.label)).toEqual(['price_lag1', 'price_lag2', 'volume']);
    expect(graph.nodes.filter((n) => n.kind === 'layer').map((n) => n.label))
      .toEqual(['Input · 3 features', 'Dense 8 · tanh', 'Dense 4 · ReLU', 'Dense 1 · linear']);
    const output = graph.nodes.find((n) => n.kind === 'output')!;
    const sig3 = (x: number): number => Number(x.toPrecision(3));
    expect(output.detail).toBe(`RMSE ${sig3(REPORT.metrics.model.rmse)} (baseline ${sig3(REPORT.metrics.baseline.rmse)})`);
    expect(graph.nodes.find((n) => n.id === 'n_source')!.detail).toBe('560 rows'); // stocks.csv as loaded, not the 113 left after filter and lags
    // A feature the spec does not generate still gets a range to reveal (the preprocessing section).
    expect(graph.nodes.find((n) => n.label === 'volume')!.range).toBeDefined();
  });
});

describe('buildFlowGraph on specs being typed', () => {
  it('reads the raw YAML leniently when there is no typed spec', () => {
    const text = 'version: 1\nname: half\ndata:\n  source: data/x.csv\n  target: y\npreprocessing:\n  - lags:\n      column: y\n      count: 3\n  - split:\n  - 42\nmodel:\n  type: mlp\n  hidden_layers: [{units: 4}]\nexplanation: nope\n';
    const parsed = { ...parseSpec(text), spec: null };
    const graph = buildFlowGraph(parsed);
    expect(graph.nodes.map((n) => n.id)).toEqual(['n_source', 'n_step0_lags', 'n_step1_split', 'n_feat_y_lag1', 'n_feat_y_lag2', 'n_feat_y_lag3',
      'n_model', 'n_layer_in', 'n_layer1', 'n_layer_out', 'n_output', 'n_spec']);
    expect(graph.nodes.find((n) => n.id === 'n_layer1')!.label).toBe('Dense 4 · ?');
    expect(graph.nodes.find((n) => n.id === 'n_step1_split')!.detail).toBe('? · ? validation');
    expect(parsed.diagnostics.length).toBeGreaterThan(0); // the parser does see the problems
    expect(graph.edges.at(-1)).toEqual({ from: 'n_output', to: 'n_spec', label: `${parsed.diagnostics.length} diagnostics` });
  });

  it('draws the spec node alone (plus placeholders) when the text is not YAML, and counts diagnostics', () => {
    const parsed = parseSpec('name: [unclosed\n  data: {\n');
    expect(parsed.diagnostics.length).toBeGreaterThan(0);
    const graph = buildFlowGraph(parsed);
    expect(graph.nodes.find((n) => n.kind === 'spec')).toBeDefined();
    expect(graph.nodes.some((n) => n.kind === 'source')).toBe(false);
    expect(graph.edges.at(-1)!.label).toBe(`${parsed.diagnostics.length} diagnostic${parsed.diagnostics.length === 1 ? '' : 's'}`);
  });

  it('labels the feedback edge with the diagnostic count', () => {
    const d: SpecDiagnostic = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, severity: 'error', code: 'x', message: 'x' };
    const graph = buildFlowGraph({ ...parseSpec(SPEC_TEXT), diagnostics: [d, { ...d, severity: 'warning' }] });
    expect(graph.edges.find((e) => e.to === 'n_spec')!.label).toBe('2 diagnostics');
  });

  it('keeps hostile feature names as raw labels with sanitized, unique ids', () => {
    const text = 'name: x\ndata:\n  source: a.csv\n  target: t\n  features: ["<img src=x onerror=alert(1)>", "\\"]-->X[", "a b", "a-b"]\nmodel: {type: mlp, hidden_layers: []}\n';
    const graph = buildFlowGraph(parseSpec(text));
    const features = graph.nodes.filter((n) => n.kind === 'feature');
    expect(features.map((n) => n.label)).toEqual(['<img src=x onerror=alert(1)>', '"]-->X[', 'a b', 'a-b']);
    expect(features.map((n) => n.id)).toEqual(['n_feat__img_src_x_onerror_alert_1__', 'n_feat______X_', 'n_feat_a_b', 'n_feat_a_b_2']);
    expect(textAt(text, features[1]!.range)).toBe('"\\"]-->X["');
  });
});

describe('buildFlowGraph with very many features', () => {
  it('draws the first 100 one by one and the rest as one node, without making them all', () => {
    const text = 'name: big\ndata:\n  source: a.csv\n  target: y\npreprocessing:\n  - lags: {column: y, count: 1000000000}\nmodel: {type: mlp}\n';
    const graph = buildFlowGraph(parseSpec(text));
    const features = graph.nodes.filter((n) => n.kind === 'feature');
    expect(features).toHaveLength(MAX_FEATURE_NODES + 1);
    expect(features.at(-2)!.label).toBe('y_lag100');
    expect(features.at(-1)).toMatchObject({ id: 'n_feat_more', label: `+${1_000_000_000 - MAX_FEATURE_NODES} features` });
    expect(graph.nodes.find((n) => n.id === 'n_layer_in')!.label).toBe('Input · 1000000000 features');
  });
});

describe('buildFlowGraph with a malformed report', () => {
  it('ignores a report that lacks what the graph reads, instead of throwing', () => {
    const parsed = parseSpec(SPEC_TEXT);
    const plain = buildFlowGraph(parsed);
    for (const bad of [{}, { ...REPORT, features: 'x' }, { ...REPORT, data: null }, { ...REPORT, metrics: {} }, { ...REPORT, model: { type: 'mlp' } }]) {
      expect(buildFlowGraph(parsed, bad as unknown as RunReport)).toEqual(plain);
    }
  });
});
