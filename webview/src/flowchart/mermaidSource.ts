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
  /** The importance overlay, whose values go into the feature labels (its colours are applied after drawing). */
  overlay?: ImportanceOverlay | null;
  /** Extra label lines per node id (the path overlay's values against thresholds), after the overlay's value. */
  extraLines?: ReadonlyMap<string, readonly string[]>;
  /** Nodes drawn in a subgraph of their own (a surrogate's decision path), linked from `from`. */
  extraGroup?: ExtraGroup | null;
}

/** A chain of extra nodes (ids `n_path_<k>`) in a subgraph, e.g. the surrogate tree's path of one sample. */
export interface ExtraGroup {
  id: string;
  title: string;
  /** Linked with a dotted edge from this node to the first of `nodes`. */
  from: string;
  nodes: { id: string; lines: string[] }[];
  /** Edge labels between consecutive nodes (nodes.length − 1 of them). */
  edgeLabels: string[];
}

/** All label lines of a node as drawn: label, detail, then the extra lines (raw text; escaped where written). */
export function nodeLines(node: FlowNode, overlay: ImportanceOverlay | null | undefined, extra: ReadonlyMap<string, readonly string[]> | undefined): string[] {
  const lines = [node.label];
  if (node.detail) lines.push(node.detail);
  const shade = overlay?.byNode.get(node.id);
  if (shade) lines.push(shade.valueText);
  for (const l of extra?.get(node.id) ?? []) lines.push(l);
  return lines;
}

/** The CSS class of a drawn node of each kind (`g.node.xai-k-feature`), for styles and tests; set by draw.ts. */
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
  tree: ['[', ']'], // a split or a leaf of the trained tree
  output: ['([', '])'], // stadium
  explainer: ['{{', '}}'], // hexagon
  spec: ['>', ']'], // flag: the document
};

function labelOf(node: FlowNode): string {
  return nodeLines(node, null, undefined).map((l) => escapeMermaidLabel(l)).join('<br>');
}

/**
 * Mermaid flowchart text for a graph.
 *
 * Node ids are the graph's (checked against [A-Za-z0-9_] and Mermaid's keywords; a node with any other id is dropped
 * with its edges, since it could not be addressed safely). Feature nodes are boxed in a subgraph `g_features`; the node of kind `model`
 * becomes a subgraph boxing the `layer` nodes. Edges into the spec node are dotted (the feedback loop). With an
 * overlay, feature labels carry their importance value; the shading itself is applied to the drawn SVG (draw.ts).
 */
export function mermaidSource(graph: FlowGraph, options: MermaidSourceOptions = {}): string {
  const overlay = options.overlay ?? null;
  const nodes = graph.nodes.filter((n) => SAFE_ID.test(n.id) && !RESERVED_IDS.has(n.id) && n.id !== FEATURES_GROUP_ID);
  const ids = new Set(nodes.map((n) => n.id));
  const edges = graph.edges.filter((e) => ids.has(e.from) && ids.has(e.to));
  const modelNode = nodes.find((n) => n.kind === 'model');
  const features = nodes.filter((n) => n.kind === 'feature');
  const layers = nodes.filter((n) => n.kind === 'layer' || n.kind === 'tree');
  const lines: string[] = [`flowchart ${options.direction ?? 'TD'}`];

  const nodeLine = (n: FlowNode, indent: string): string => {
    const [open, close] = SHAPES[n.kind] ?? SHAPES.step;
    const text = nodeLines(n, overlay, options.extraLines).map((l) => escapeMermaidLabel(l)).join('<br>');
    return `${indent}${n.id}${open}"${text}"${close}`;
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
    } else if ((n.kind === 'layer' || n.kind === 'tree' || n.kind === 'model') && modelNode) {
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
  // One edge into the features' box stands for the fan-out from the step that makes them all.
  const fanIn = featureFanIn(features, edges);
  const featureIds = new Set(features.map((f) => f.id));
  const drawn = fanIn ? edges.filter((e) => !(e.from === fanIn && featureIds.has(e.to))) : edges;
  if (fanIn) lines.push(`  ${fanIn} --> ${FEATURES_GROUP_ID}`);
  // A run of unlabelled edges into one node is one statement (`a & b & c --> d`): the same edges in the same order,
  // in a third of the tokens for Mermaid's parser (the features' edges into the model are most of them).
  for (let i = 0; i < drawn.length;) {
    const e = drawn[i]!;
    const arrow = specIds.has(e.to) ? '-.->' : '-->';
    let j = i + 1;
    if (!e.label) while (j < drawn.length && drawn[j]!.to === e.to && !drawn[j]!.label) j++;
    const from = drawn.slice(i, j).map((x) => x.from).join(' & ');
    lines.push(`  ${from} ${arrow}${e.label ? `|"${escapeMermaidLabel(e.label)}"|` : ''} ${e.to}`);
    i = j;
  }
  // The extra group comes after the graph's own edges.
  const group = options.extraGroup;
  if (group && SAFE_ID.test(group.id) && ids.has(group.from) && group.nodes.length && group.nodes.every((n) => SAFE_ID.test(n.id) && !ids.has(n.id))) {
    lines.push(`  subgraph ${group.id}["${escapeMermaidLabel(group.title)}"]`);
    lines.push('    direction TB');
    for (const n of group.nodes) lines.push(`    ${n.id}["${n.lines.map((l) => escapeMermaidLabel(l)).join('<br>')}"]`);
    lines.push('  end');
    lines.push(`  ${group.from} -.-> ${group.nodes[0]!.id}`);
    group.nodes.slice(1).forEach((n, k) => {
      const label = group.edgeLabels[k];
      lines.push(`  ${group.nodes[k]!.id} -->${label ? `|"${escapeMermaidLabel(label)}"|` : ''} ${n.id}`);
    });
    lines.push(`  class ${group.nodes.map((n) => n.id).join(',')} xai-k-pathstep`);
  }

  // No `class` or `style` lines: the page puts each node's kind class (`kindClass`) and the overlay's fills and edge
  // weights on the drawn SVG (draw.ts), as it must anyway when an overlay changes without a new layout; as lines
  // they were most of the text Mermaid parses.
  return lines.join('\n') + '\n';
}

/**
 * The one node every feature comes from (the last preprocessing step or the source), when each feature has exactly
 * that one unlabelled incoming edge; else null. Its fan-out is drawn as a single edge into the features' box:
 * clearer, and with a box of 46 features about 90 fewer dummy nodes for the layout.
 */
function featureFanIn(features: FlowNode[], edges: FlowGraph['edges']): string | null {
  if (features.length < 2) return null;
  const ids = new Set(features.map((f) => f.id));
  const into = edges.filter((e) => ids.has(e.to));
  const from = new Set(into.map((e) => e.from));
  if (from.size !== 1 || into.length !== features.length || into.some((e) => e.label)) return null;
  const [only] = from;
  return ids.has(only!) ? null : only!;
}
