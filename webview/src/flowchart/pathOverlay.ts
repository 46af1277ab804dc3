/**
 * The path overlay: one sample's decision path on the flowchart. For a tree, the drawn tree nodes it visits from
 * the root to its leaf, each with the sample's value against the threshold; for a network, the features of its
 * strongest input → output paths and each hidden layer's active units; for a surrogate, its path as a chain of
 * extra nodes titled with its fidelity. Pure: no DOM.
 */
import type { DecisionPathSample, FlowGraph } from '../../../protocol/protocol';
import { formatNumber } from '../common/format';
import type { ExtraGroup } from './mermaidSource';

export interface PathOverlay {
  /** Graph node ids on the path (drawn emphasised), and edges `from>to` between them. */
  nodes: Set<string>;
  edges: Set<string>;
  /** Extra label lines per node id: the sample's values against the thresholds, active units, the prediction. */
  lines: Map<string, string[]>;
  /** A surrogate's path as extra nodes, or null. */
  group: ExtraGroup | null;
  /** The overlay's caption lines (sample, prediction, fidelity, top paths). */
  summary: string[];
}

export const PATH_GROUP_ID = 'g_path';

const SPLIT_WORDS = { left: '≤', right: '>' } as const;

/** `petal_length = 1.4 ≤ 2.45` (the sample's value against the node's threshold). */
function stepTest(feature: string, value: number, threshold: number, side: 'left' | 'right'): string {
  return `${feature} = ${formatNumber(value)} ${SPLIT_WORDS[side]} ${formatNumber(threshold)}`;
}

/** The overlay of one sample's path on a graph (null sample → null). */
export function pathOverlay(graph: FlowGraph, sample: DecisionPathSample | null | undefined): PathOverlay | null {
  if (!sample) return null;
  const nodes = new Set<string>();
  const edges = new Set<string>();
  const lines = new Map<string, string[]>();
  const addLine = (id: string, line: string): void => { lines.set(id, [...(lines.get(id) ?? []), line]); };
  const has = new Set(graph.nodes.map((n) => n.id));
  const featureNode = new Map(graph.nodes.filter((n) => n.kind === 'feature' && n.feature !== undefined).map((n) => [n.feature!, n.id]));
  const output = graph.nodes.find((n) => n.kind === 'output')?.id;
  const input = has.has('n_layer_in') ? 'n_layer_in' : undefined;
  const summary = [`Row ${sample.row} (line ${sample.line}, ${sample.split}): actual ${sample.actual}, predicted ${sample.predicted}`];
  const link = (from: string | undefined, to: string | undefined): void => {
    if (from && to && has.has(from) && has.has(to)) edges.add(`${from}>${to}`);
  };
  const markFeature = (name: string): void => {
    const id = featureNode.get(name);
    if (!id) return;
    if (!nodes.has(id)) {
      const f = sample.features.find((x) => x.name === name);
      if (f) addLine(id, `= ${formatNumber(f.raw)}`);
    }
    nodes.add(id);
    link(id, input);
  };
  if (input) nodes.add(input);
  if (output) {
    nodes.add(output);
    addLine(output, `row ${sample.row}: ${sample.predicted}`);
  }

  let group: ExtraGroup | null = null;
  const steps = sample.path.steps;
  if (sample.path.kind === 'tree') {
    const byTreeNode = new Map(graph.nodes.filter((n) => n.kind === 'tree' && n.treeNode !== undefined).map((n) => [n.treeNode!, n.id]));
    let previous = input;
    let lastDrawn: string | undefined;
    for (const st of steps) {
      const id = byTreeNode.get(st.node);
      if (st.feature !== undefined) markFeature(st.feature);
      if (!id) continue;
      nodes.add(id);
      if (st.side !== 'leaf' && st.feature !== undefined && st.value !== undefined && st.threshold !== undefined) {
        addLine(id, stepTest(st.feature, st.value, st.threshold, st.side));
      } else if (st.side === 'leaf') addLine(id, `→ ${st.predicted}`);
      link(previous, id);
      previous = id;
      lastDrawn = id;
    }
    link(lastDrawn, output);
    const hidden = steps.filter((st) => !byTreeNode.has(st.node));
    if (hidden.length) summary.push(`Below the drawn levels: ${hidden.map((st) => (st.side === 'leaf' ? `leaf ${st.predicted}` : stepTest(st.feature ?? '?', st.value ?? NaN, st.threshold ?? NaN, st.side as 'left' | 'right'))).join(' → ')}`);
  } else {
    const fidelity = sample.path.fidelity;
    const title = `Surrogate tree path${fidelity ? ` · fidelity ${fidelity.metric === 'r2' ? 'R²' : 'agreement'} ${formatNumber(fidelity.heldOut)}` : ''}`;
    for (const st of steps) if (st.feature !== undefined) markFeature(st.feature);
    if (output) {
      group = {
        id: PATH_GROUP_ID, title, from: output,
        nodes: steps.map((st, k) => ({
          id: `n_path_${k}`,
          lines: st.side === 'leaf' ? [`leaf → ${st.predicted}`, `${st.samples} samples`]
            : [stepTest(st.feature ?? '?', st.value ?? NaN, st.threshold ?? NaN, st.side)],
        })),
        edgeLabels: steps.slice(0, -1).map((st) => (st.side === 'left' ? 'yes' : 'no')),
      };
    }
    summary.push(title);
  }

  if (sample.relu) {
    const r = sample.relu;
    r.layers.forEach((layer, i) => {
      const id = `n_layer${i + 1}`;
      if (!has.has(id)) return;
      nodes.add(id);
      const shown = layer.active.slice(0, 12).join(', ');
      addLine(id, `${layer.active.length}/${layer.units} active: ${shown}${layer.active.length > 12 ? ', …' : ''}`);
    });
    for (const tp of r.topPaths.slice(0, 3)) markFeature(tp.feature);
    // The chain input → hidden layers → output layer → output.
    const chain = [input, ...r.layers.map((_, i) => `n_layer${i + 1}`), 'n_layer_out', output];
    if (has.has('n_layer_out')) nodes.add('n_layer_out');
    for (let k = 1; k < chain.length; k++) link(chain[k - 1], chain[k]);
    summary.push(`Top paths to the ${r.outputName} (${formatNumber(r.output)} = paths ${formatNumber(r.pathTotal)} + biases ${formatNumber(r.biasTotal)}): ` +
      r.topPaths.slice(0, 3).map((tp) => `${tp.feature} → ${tp.units.slice(1, -1).map((u, l) => `h${l + 1}#${u}`).join(' → ')} → out ${tp.contribution >= 0 ? '+' : ''}${formatNumber(tp.contribution)}`).join('; '));
  } else if (sample.path.kind === 'surrogate') {
    // A linear model or SVM: the path's features lead into the model and on to the output.
    const modelOut = has.has('n_layer_out') ? 'n_layer_out' : undefined;
    if (modelOut) nodes.add(modelOut);
    link(input, modelOut);
    link(modelOut, output);
  }
  return { nodes, edges, lines, group, summary };
}
