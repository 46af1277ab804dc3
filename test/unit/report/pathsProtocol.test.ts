/**
 * The decision-path messages' validators (protocol/protocol.ts) and the pure overlay functions of the flowchart:
 * malformed selectors and messages are refused; a grouped importance entry shades its one-hot nodes; a tree path
 * lights the drawn nodes it visits.
 */
import { describe, expect, it } from 'vitest';
import {
  isHostToPathsMessage, isHostToWebviewMessage, isPathsToHostMessage, isSampleSelector, isWebviewToHostMessage,
  type DecisionPathSample, type FlowGraph, type RunReport,
} from '../../../protocol/protocol';
import { importanceOverlay } from '../../../webview/src/flowchart/overlay';
import { pathOverlay } from '../../../webview/src/flowchart/pathOverlay';

const SAMPLE: DecisionPathSample = {
  row: 0, line: 2, split: 'train', actual: 'setosa', predicted: 'setosa (1)', loss: 0, runId: 'r',
  features: [{ name: 'petal_length', value: 1.4, raw: 1.4 }],
  path: {
    kind: 'tree', outputs: ['setosa', 'versicolor'], steps: [
      { node: 0, feature: 'petal_length', threshold: 2.45, value: 1.4, side: 'left', prediction: [0.5, 0.5], predicted: 'setosa (0.5)', samples: 10 },
      { node: 1, side: 'leaf', prediction: [1, 0], predicted: 'setosa (1)', samples: 5 },
    ],
  },
  attribution: { method: 'tree_shap', output: 'P(setosa)', base: 0.5, values: [{ feature: 'petal_length', value: 0.5 }] },
};

describe('decision path protocol validators', () => {
  it('accepts well-formed selectors and messages, refuses the rest', () => {
    expect(isSampleSelector({ by: 'row', row: 0 })).toBe(true);
    expect(isSampleSelector({ by: 'worst', rank: 3 })).toBe(true);
    expect(isSampleSelector({ by: 'filter', column: 'Island', op: '=', value: 'Dream', pick: 1 })).toBe(true);
    for (const bad of [null, {}, { by: 'row', row: -1 }, { by: 'row', row: 1.5 }, { by: 'worst' }, { by: 'filter', column: 'x', op: '~', value: '1' },
      { by: 'filter', column: 'x', op: '=', value: 1 }, { by: 'filter', column: 'x'.repeat(1001), op: '=', value: '1' }]) {
      expect(isSampleSelector(bad), JSON.stringify(bad)?.slice(0, 80)).toBe(false);
    }
    expect(isPathsToHostMessage({ type: 'pick', selector: { by: 'row', row: 2 } })).toBe(true);
    expect(isPathsToHostMessage({ type: 'pick', selector: { by: 'row', row: '2' } })).toBe(false);
    expect(isPathsToHostMessage({ type: 'run', code: 'x' })).toBe(false);
    expect(isHostToPathsMessage({ type: 'decisionPath', selector: { by: 'row', row: 0 }, result: { ok: true, sample: SAMPLE } })).toBe(true);
    expect(isHostToPathsMessage({ type: 'decisionPath', selector: { by: 'row', row: 0 }, result: { ok: true, sample: { ...SAMPLE, path: null } } })).toBe(false);
    expect(isHostToWebviewMessage({ type: 'path', sample: SAMPLE })).toBe(true);
    expect(isHostToWebviewMessage({ type: 'path', sample: null })).toBe(true);
    expect(isHostToWebviewMessage({ type: 'path', sample: { row: 0 } })).toBe(false);
    expect(isWebviewToHostMessage({ type: 'export', format: 'svg', data: '<svg/>' })).toBe(true);
    expect(isWebviewToHostMessage({ type: 'export', format: 'pdf', data: 'x' })).toBe(false);
    expect(isWebviewToHostMessage({ type: 'export', format: 'png', data: '' })).toBe(false);
  });
});

describe('flowchart overlays (pure)', () => {
  const graph: FlowGraph = {
    specName: 's',
    nodes: [
      { id: 'n_feat_a', kind: 'feature', label: 'Island=A', feature: 'Island=A' },
      { id: 'n_feat_b', kind: 'feature', label: 'Island=B', feature: 'Island=B' },
      { id: 'n_feat_m', kind: 'feature', label: 'mass', feature: 'mass' },
      { id: 'n_layer_in', kind: 'layer', label: 'Input' },
      { id: 'n_tree_0', kind: 'tree', label: 'petal_length ≤ 2.45', treeNode: 0 },
      { id: 'n_tree_1', kind: 'tree', label: 'setosa', treeNode: 1 },
      { id: 'n_tree_2', kind: 'tree', label: 'other', treeNode: 2 },
      { id: 'n_output', kind: 'output', label: 'species' },
    ],
    edges: [{ from: 'n_layer_in', to: 'n_tree_0' }, { from: 'n_tree_0', to: 'n_tree_1' }, { from: 'n_tree_0', to: 'n_tree_2' }, { from: 'n_tree_1', to: 'n_output' }],
  };

  it('a grouped entry (with columns, or named as the one-hot prefix) shades every node of its group', () => {
    const withColumns = { importance: { method: 'permutation_importance', metric: 'accuracy', split: 'validation', repeats: 3, baselineScore: 1, evaluations: 0,
      features: [{ feature: 'Island', mean: 0.2, std: 0.01, values: [], columns: ['Island=A', 'Island=B'] }, { feature: 'mass', mean: 0.1, std: 0, values: [] }] } } as unknown as RunReport;
    const o = importanceOverlay(graph, withColumns, 'light')!;
    expect(o.byNode.get('n_feat_a')!.fill).toBe(o.byNode.get('n_feat_b')!.fill);
    expect(o.byNode.get('n_feat_a')!.valueText).toBe('Island: 0.2 ± 0.01');
    const shapOnly = { explanations: [{ method: 'shap', ranking: [{ feature: 'Island', meanAbs: 3, mean: 1 }, { feature: 'mass', meanAbs: 1, mean: 0 }], rows: [0] }] } as unknown as RunReport;
    const s = importanceOverlay(graph, shapOnly, 'dark', 'mean_abs_shap')!;
    expect([...s.byNode.keys()].sort()).toEqual(['n_feat_a', 'n_feat_b', 'n_feat_m']);
    expect(s.byNode.get('n_feat_b')!.t).toBe(1);
  });

  it('a tree path lights the drawn nodes it visits, with the value against the threshold', () => {
    const p = pathOverlay(graph, SAMPLE)!;
    expect([...p.nodes].filter((id) => id.startsWith('n_tree')).sort()).toEqual(['n_tree_0', 'n_tree_1']);
    expect(p.lines.get('n_tree_0')).toEqual(['petal_length = 1.4 ≤ 2.45']);
    expect(p.lines.get('n_tree_1')).toEqual(['→ setosa (1)']);
    expect([...p.edges].sort()).toEqual(['n_layer_in>n_tree_0', 'n_tree_0>n_tree_1', 'n_tree_1>n_output']);
    expect(pathOverlay(graph, null)).toBeNull();
  });
});
