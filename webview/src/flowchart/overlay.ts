/**
 * The importance overlay: shades each feature node by its permutation importance on a sequential scale, puts
 * `mean ± std` in its label and weights its edge into the model. Pure: no DOM, so it is unit-tested in Node.
 */
import type { FlowGraph, PermutationImportanceResult, RunReport } from '../../../protocol/protocol';
import { IMPORTANCE_STOPS, parseHex, sequentialScale, textColorOn } from '../common/color';
import { formatNumber } from '../common/format';

export type Palette = 'light' | 'dark';

export interface NodeShade {
  /** Position on the scale, 0 (least important shown) … 1 (most important). */
  t: number;
  fill: string;
  /** Black or white, whichever reads better on `fill`. */
  textColor: string;
  /** `mean ± std`, in the metric's units. */
  valueText: string;
  mean: number;
  std: number;
  /** Edge width into the model, in px. */
  edgeWidth: number;
  /** Edge colour into the model: the same scale, kept off its faintest end so that every edge stays visible. */
  edgeColor: string;
}

export interface ImportanceOverlay {
  method: PermutationImportanceResult['method'];
  metric: PermutationImportanceResult['metric'];
  split: PermutationImportanceResult['split'];
  repeats: number;
  /** The scale's ends: the smallest and largest mean importance shown. */
  min: number;
  max: number;
  /** The scale's colour stops, low to high, for the legend. */
  stops: readonly string[];
  /** Shades by feature-node id. */
  byNode: Map<string, NodeShade>;
}

/** Edge widths into the model, in px, for the least and the most important feature. */
const EDGE_WIDTH = { min: 1, max: 6 } as const;

/**
 * Computes the overlay of a report's permutation importance on a graph's feature nodes.
 *
 * The scale is linear in the mean importance between the smallest and the largest mean shown (negative means,
 * i.e. permuting helped by chance, sit at the low end in their order), so shading order = importance order.
 * Returns null when the report has no importance or no feature node matches it.
 */
export function importanceOverlay(graph: FlowGraph, report: RunReport | null | undefined, palette: Palette): ImportanceOverlay | null {
  const imp = report?.importance;
  if (!imp || !Array.isArray(imp.features) || !imp.features.length) return null;
  const byFeature = new Map(imp.features.filter((f) => Number.isFinite(f.mean)).map((f) => [f.feature, f]));
  const matched = graph.nodes.filter((n) => n.kind === 'feature' && n.feature !== undefined && byFeature.has(n.feature));
  if (!matched.length) return null;
  const means = matched.map((n) => byFeature.get(n.feature!)!.mean);
  const min = Math.min(...means);
  const max = Math.max(...means);
  const stops = IMPORTANCE_STOPS[palette];
  const scale = sequentialScale(stops);
  const byNode = new Map<string, NodeShade>();
  for (const node of matched) {
    const f = byFeature.get(node.feature!)!;
    const t = max > min ? (f.mean - min) / (max - min) : 1;
    const fill = scale(t);
    const std = Number.isFinite(f.std) ? f.std : 0;
    byNode.set(node.id, {
      t, fill, textColor: textColorOn(parseHex(fill)!), mean: f.mean, std,
      valueText: `${formatNumber(f.mean)} ± ${formatNumber(std)}`,
      edgeWidth: EDGE_WIDTH.min + (EDGE_WIDTH.max - EDGE_WIDTH.min) * t,
      edgeColor: scale(0.3 + 0.7 * t),
    });
  }
  return { method: imp.method, metric: imp.metric, split: imp.split, repeats: imp.repeats, min, max, stops, byNode };
}
