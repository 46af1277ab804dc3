/**
 * Warming Mermaid up while the panel waits for its first graph: one off-screen render of a small pipeline with every
 * kind of node, whose drawing is thrown away. Mermaid's parser, layout and sanitiser run slowly the first times they
 * run (the browser compiles and optimises them as they go); this pays part of that before the user's own graph
 * arrives, so that their first render and their first structural edit are faster.
 */
import type { FlowGraph, FlowNode } from '../../../protocol/protocol';

/** A miniature pipeline: source, three steps, six features, a network of three layers, output, two explainers. */
export function warmUpGraph(): FlowGraph {
  const nodes: FlowNode[] = [
    { id: 'n_source', kind: 'source', label: 'data.csv', detail: '1000 rows' },
    { id: 'n_step0', kind: 'step', label: 'impute', detail: 'median' },
    { id: 'n_step1', kind: 'step', label: 'lags', detail: 'price × 6' },
    { id: 'n_step2', kind: 'step', label: 'standardize' },
    ...Array.from({ length: 6 }, (_, i): FlowNode => ({ id: `n_feat_f${i}`, kind: 'feature', label: `price_lag${i + 1}`, detail: `${(0.5 / (i + 1)).toFixed(3)} ± 0.01`, feature: `f${i}` })),
    { id: 'n_model', kind: 'model', label: 'MLP', detail: 'adam · mse · 300 epochs' },
    { id: 'n_layer_in', kind: 'layer', label: 'Input · 6 features' },
    { id: 'n_layer1', kind: 'layer', label: 'Dense 10 · ReLU' },
    { id: 'n_layer_out', kind: 'layer', label: 'Dense 1 · linear' },
    { id: 'n_output', kind: 'output', label: 'price', detail: 'RMSE 1.68 (baseline 1.72)' },
    { id: 'n_explain0', kind: 'explainer', label: 'Permutation importance' },
    { id: 'n_explain1', kind: 'explainer', label: 'SHAP' },
    { id: 'n_spec', kind: 'spec', label: 'warm-up', detail: 'spec' },
  ];
  const edges: FlowGraph['edges'] = [
    { from: 'n_source', to: 'n_step0' }, { from: 'n_step0', to: 'n_step1' }, { from: 'n_step1', to: 'n_step2' },
    ...nodes.filter((n) => n.kind === 'feature').flatMap((n) => [{ from: 'n_step2', to: n.id }, { from: n.id, to: 'n_layer_in' }]),
    { from: 'n_layer_in', to: 'n_layer1' }, { from: 'n_layer1', to: 'n_layer_out' }, { from: 'n_layer_out', to: 'n_output' },
    { from: 'n_output', to: 'n_explain0' }, { from: 'n_output', to: 'n_explain1' },
    { from: 'n_explain0', to: 'n_spec', label: '0 runtime diagnostics' }, { from: 'n_explain1', to: 'n_spec', label: '0 runtime diagnostics' },
  ];
  return { specName: 'warm-up', nodes, edges };
}
