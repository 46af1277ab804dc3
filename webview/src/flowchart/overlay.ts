/**
 * The importance overlay: shades each feature node by the chosen importance on a sequential scale, puts its value
 * in the label and weights its edge into the model. Methods: permutation importance (mean ± std over repeats),
 * Sobol first-order and total indices, mean |SHAP| — each offered when the run's report holds it. A grouped entry
 * (a one-hot column such as `Island`, permuted or ranked as one) shades every node of its group (`Island=Biscoe`, …).
 * Pure: no DOM, so it is unit-tested in Node.
 */
import type { FlowGraph, ImportanceMethod, RunReport } from '../../../protocol/protocol';
import { IMPORTANCE_METHODS } from '../../../protocol/protocol';
import { IMPORTANCE_STOPS, parseHex, sequentialScale, textColorOn } from '../common/color';
import { formatNumber } from '../common/format';

export type Palette = 'light' | 'dark';

export interface NodeShade {
  /** Position on the scale, 0 (least important shown) … 1 (most important). */
  t: number;
  fill: string;
  /** Black or white, whichever reads better on `fill`. */
  textColor: string;
  /** The value as the label shows it, e.g. `0.42 ± 0.03` or `S₁ 0.31`. */
  valueText: string;
  /** The importance (mean, index or mean |φ|) and its spread (std; 0 when the method has none). */
  mean: number;
  std: number;
  /** The report's entry this node takes its value from (a group's name for one-hot columns). */
  entry: string;
  /** Edge width into the model, in px. */
  edgeWidth: number;
  /** Edge colour into the model: the same scale, kept off its faintest end so that every edge stays visible. */
  edgeColor: string;
}

export interface ImportanceOverlay {
  method: ImportanceMethod;
  /** One sentence for the legend: what the values are, in which units. */
  caption: string;
  /** The scale's ends: the smallest and largest value shown. */
  min: number;
  max: number;
  /** The scale's colour stops, low to high, for the legend. */
  stops: readonly string[];
  /** Shades by feature-node id. */
  byNode: Map<string, NodeShade>;
}

/** One importance value per report entry (a feature or a group of columns). */
interface Entry { name: string; value: number; spread: number; text: string; columns?: readonly string[] }

export const METHOD_LABELS: Record<ImportanceMethod, string> = {
  permutation_importance: 'Permutation importance',
  sobol_first: 'Sobol first-order index',
  sobol_total: 'Sobol total index',
  mean_abs_shap: 'Mean |SHAP|',
};

const METRIC_LABELS: Record<string, string> = { rmse: 'RMSE', mae: 'MAE', mse: 'MSE', r2: 'R²', accuracy: 'accuracy', balanced_accuracy: 'balanced accuracy', log_loss: 'log loss' };

/** Edge widths into the model, in px, for the least and the most important feature. */
const EDGE_WIDTH = { min: 1, max: 6 } as const;

type Section = { method?: unknown; [k: string]: unknown };
const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function section(report: RunReport | null | undefined, method: string): Section | undefined {
  const list = Array.isArray(report?.explanations) ? report!.explanations as unknown as Section[] : [];
  return list.find((s) => typeof s === 'object' && s !== null && s.method === method);
}

/** The report's entries for a method, with the legend's caption; null when the report does not hold that method. */
function entries(report: RunReport | null | undefined, method: ImportanceMethod): { caption: string; list: Entry[] } | null {
  if (method === 'permutation_importance') {
    const imp = report?.importance;
    if (!imp || !Array.isArray(imp.features)) return null;
    const metric = METRIC_LABELS[imp.metric] ?? String(imp.metric);
    return {
      caption: `${METHOD_LABELS[method]}: loss in ${metric} when a feature is permuted (${String(imp.split)}, mean ± std over ${String(imp.repeats)} repeats)`,
      list: imp.features.filter((f) => finite(f.mean)).map((f) => {
        const std = finite(f.std) ? f.std : 0;
        return { name: f.feature, value: f.mean, spread: std, text: `${formatNumber(f.mean)} ± ${formatNumber(std)}`, ...(Array.isArray(f.columns) ? { columns: f.columns } : {}) };
      }),
    };
  }
  if (method === 'sobol_first' || method === 'sobol_total') {
    const s = section(report, 'sobol');
    const indices = Array.isArray(s?.indices) ? s.indices as { feature?: unknown; first?: unknown; total?: unknown; firstCi?: unknown; totalCi?: unknown }[] : null;
    if (!indices) return null;
    const key = method === 'sobol_first' ? 'first' : 'total';
    const symbol = method === 'sobol_first' ? 'S1' : 'ST';
    return {
      caption: `${METHOD_LABELS[method]} (${symbol}): share of the output's variance due to a feature${key === 'total' ? ' with all its interactions' : ' alone'} (${String(s!.samples ?? '?')} samples)`,
      list: indices.filter((x) => typeof x.feature === 'string' && finite(x[key])).map((x) => {
        const ci = x[`${key}Ci`];
        const spread = Array.isArray(ci) && finite(ci[0]) && finite(ci[1]) ? (ci[1] - ci[0]) / 2 : 0;
        return { name: x.feature as string, value: x[key] as number, spread, text: `${symbol} ${formatNumber(x[key] as number)}${spread ? ` ± ${formatNumber(spread)}` : ''}` };
      }),
    };
  }
  const s = section(report, 'shap');
  const ranking = Array.isArray(s?.ranking) ? s.ranking as { feature?: unknown; meanAbs?: unknown }[] : null;
  if (!ranking) return null;
  return {
    caption: `${METHOD_LABELS[method]}: mean absolute Shapley value of ${String(s!.output ?? 'the output')} over ${Array.isArray(s!.rows) ? s!.rows.length : '?'} samples (${String(s!.algorithm ?? 'SHAP')})`,
    list: ranking.filter((r) => typeof r.feature === 'string' && finite(r.meanAbs)).map((r) => ({
      name: r.feature as string, value: r.meanAbs as number, spread: 0, text: `|φ| ${formatNumber(r.meanAbs as number)}`,
    })),
  };
}

/** The methods a report holds, in a fixed order (the method switch offers these). */
export function availableMethods(report: RunReport | null | undefined): ImportanceMethod[] {
  return IMPORTANCE_METHODS.filter((m) => (entries(report, m)?.list.length ?? 0) > 0);
}

/**
 * Which feature nodes an entry shades: the node of that feature, else the nodes of its group — the entry's
 * `columns`, or (for methods that name only the group) the one-hot columns `name=…`.
 */
function nodesOf(entry: Entry, byFeature: Map<string, string[]>): string[] {
  const own = byFeature.get(entry.name);
  if (own) return own;
  if (entry.columns?.length) return entry.columns.flatMap((c) => byFeature.get(c) ?? []);
  const prefix = `${entry.name}=`;
  return [...byFeature].filter(([f]) => f.startsWith(prefix)).flatMap(([, ids]) => ids);
}

/**
 * Computes the overlay of one importance method on a graph's feature nodes.
 *
 * The scale is linear in the value between the smallest and the largest shown (negative permutation means, i.e.
 * permuting helped by chance, sit at the low end in their order), so shading order = importance order.
 * Returns null when the report lacks the method or no feature node matches it. `method` defaults to the first
 * available one.
 */
export function importanceOverlay(graph: FlowGraph, report: RunReport | null | undefined, palette: Palette, method?: ImportanceMethod): ImportanceOverlay | null {
  const chosen = method && availableMethods(report).includes(method) ? method : availableMethods(report)[0];
  if (!chosen) return null;
  const e = entries(report, chosen)!;
  const byFeature = new Map<string, string[]>();
  for (const n of graph.nodes) if (n.kind === 'feature' && n.feature !== undefined) byFeature.set(n.feature, [...(byFeature.get(n.feature) ?? []), n.id]);
  const matched = e.list.map((entry) => ({ entry, ids: nodesOf(entry, byFeature) })).filter((m) => m.ids.length);
  if (!matched.length) return null;
  const values = matched.map((m) => m.entry.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const stops = IMPORTANCE_STOPS[palette];
  const scale = sequentialScale(stops);
  const byNode = new Map<string, NodeShade>();
  for (const { entry, ids } of matched) {
    const t = max > min ? (entry.value - min) / (max - min) : 1;
    const fill = scale(t);
    const grouped = !byFeature.has(entry.name);
    const shade: NodeShade = {
      t, fill, textColor: textColorOn(parseHex(fill)!), mean: entry.value, std: entry.spread, entry: entry.name,
      valueText: grouped ? `${entry.name}: ${entry.text}` : entry.text,
      edgeWidth: EDGE_WIDTH.min + (EDGE_WIDTH.max - EDGE_WIDTH.min) * t,
      edgeColor: scale(0.3 + 0.7 * t),
    };
    for (const id of ids) if (!byNode.has(id)) byNode.set(id, shade);
  }
  return { method: chosen, caption: e.caption, min, max, stops, byNode };
}
