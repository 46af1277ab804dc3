/**
 * Writes a FlowGraph as Mermaid flowchart text. Pure (no DOM): the only place graph text enters Mermaid's
 * syntax, so every label goes through `escapeMermaidLabel` here and nowhere else.
 */
import type { FlowGraph, FlowNode, FlowNodeKind } from '../../../protocol/protocol';
import { escapeMermaidLabel } from '../common/escape';
import type { ImportanceOverlay } from './overlay';

export interface MermaidSourceOptions {
  /** Layout direction: top-down (default, suits a side panel) or left-right. */
  direction?: 'TD' | 'LR';
  /** Importance shading of feature nodes and of their edges into the model; null draws the plain graph. */
  overlay?: ImportanceOverlay | null;
}

/** The CSS class Mermaid puts on a node of each kind (`g.node.xai-k-feature`), for styles and tests. */
export function kindClass(kind: FlowNodeKind): string {
  return `xai-k-${kind}`;
}

/** Id of the subgraph that boxes the feature nodes. */
export const FEATURES_GROUP_ID = 'g_features';

const SAFE_ID = /^[A-Za-z0-9_]+$/;
/** Words Mermaid's flowchart grammar reads as keywords wherever an id may stand. */
const RESERVED_IDS = new Set(['end', 'graph', 'flowchart', 'subgraph', 'style', 'class', 'classDef', 'click', 'linkStyle',
  'direction', 'default', 'call', 'href', 'interpolate', 'accTitle', 'accDescr']);

/** Opening and closing brackets of each kind's shape. */
const SHAPES: Record<FlowNodeKind, [string, string]> = {
  source: ['[(', ')]'], // cylinder: stored data
  step: ['[', ']'],
  feature: ['(', ')'],
  target: ['(', ')'],
  model: ['[', ']'], // drawn as a subgraph instead
  layer: ['[[', ']]'],
  output: ['([', '])'], // stadium
  explainer: ['{{', '}}'], // hexagon
  spec: ['>', ']'], // flag: the document
};

function labelOf(node: FlowNode, extra?: string): string {
  const lines = [escapeMermaidLabel(node.label)];
  if (node.detail) lines.push(escapeMermaidLabel(node.detail));
  if (extra) lines.push(escapeMermaidLabel(extra));
  return lines.join('<br>');
}

/**
 * Mermaid flowchart text for a graph.
 *
 * Node ids are the graph's (checked against [A-Za-z0-9_] and Mermaid's keywords; a node with any other id is dropped
 * with its edges, since it could not be addressed safely). Feature nodes are boxed in a subgraph `g_features`; the node of kind `model`
 * becomes a subgraph boxing the `layer` nodes. Edges into the spec node are dotted (the feedback loop). With an
 * overlay, feature nodes get `style … fill:…` and their edges into the model `linkStyle … stroke-width:…`.
 */
export function mermaidSource(graph: FlowGraph, options: MermaidSourceOptions = {}): string {
  const overlay = options.overlay ?? null;
  const nodes = graph.nodes.filter((n) => SAFE_ID.test(n.id) && !RESERVED_IDS.has(n.id) && n.id !== FEATURES_GROUP_ID);
  const ids = new Set(nodes.map((n) => n.id));
  const edges = graph.edges.filter((e) => ids.has(e.from) && ids.has(e.to));
  const modelNode = nodes.find((n) => n.kind === 'model');
  const features = nodes.filter((n) => n.kind === 'feature');
  const layers = nodes.filter((n) => n.kind === 'layer');
  const lines: string[] = [`flowchart ${options.direction ?? 'TD'}`];

  const nodeLine = (n: FlowNode, indent: string): string => {
    const [open, close] = SHAPES[n.kind] ?? SHAPES.step;
    const shade = overlay?.byNode.get(n.id);
    return `${indent}${n.id}${open}"${labelOf(n, shade?.valueText)}"${close}`;
  };

  let featuresDone = false;
  let layersDone = false;
  for (const n of nodes) {
    if (n.kind === 'feature') {
      if (featuresDone) continue;
      featuresDone = true;
      lines.push(`  subgraph ${FEATURES_GROUP_ID}["${escapeMermaidLabel(features.length === 1 ? 'feature' : `${features.length} features`)}"]`);
      for (const f of features) lines.push(nodeLine(f, '    '));
      lines.push('  end');
    } else if ((n.kind === 'layer' || n.kind === 'model') && modelNode) {
      if (layersDone) continue;
      layersDone = true;
      lines.push(`  subgraph ${modelNode.id}["${labelOf(modelNode)}"]`);
      lines.push('    direction TB');
      for (const l of layers) lines.push(nodeLine(l, '    '));
      lines.push('  end');
    } else if (n.kind !== 'model') {
      lines.push(nodeLine(n, '  '));
    }
  }

  const specIds = new Set(nodes.filter((n) => n.kind === 'spec').map((n) => n.id));
  edges.forEach((e) => {
    const arrow = specIds.has(e.to) ? '-.->' : '-->';
    lines.push(`  ${e.from} ${arrow}${e.label ? `|"${escapeMermaidLabel(e.label)}"|` : ''} ${e.to}`);
  });

  // Classes by kind (applied to the node's <g>), then the overlay's inline styles, which win over classes.
  const byKind = new Map<FlowNodeKind, string[]>();
  for (const n of nodes) if (n.kind !== 'model') byKind.set(n.kind, [...(byKind.get(n.kind) ?? []), n.id]);
  for (const [kind, list] of byKind) lines.push(`  class ${list.join(',')} ${kindClass(kind)}`);
  if (overlay) {
    for (const n of features) {
      const s = overlay.byNode.get(n.id);
      if (s) lines.push(`  style ${n.id} fill:${s.fill},color:${s.textColor}`);
    }
    edges.forEach((e, i) => {
      const s = overlay.byNode.get(e.from);
      if (s && !overlay.byNode.has(e.to)) lines.push(`  linkStyle ${i} stroke:${s.edgeColor},stroke-width:${s.edgeWidth.toFixed(1)}px`);
    });
  }
  return lines.join('\n') + '\n';
}
