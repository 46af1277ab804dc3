/**
 * Feature selection fitted on the training rows: variance threshold, correlation filter, and k-best by an F-test
 * (ANOVA F for classes, scikit-learn's `f_classif`; the F of a univariate linear regression, `f_regression`) or
 * by mutual information (plug-in estimate on equal-frequency bins of the feature; the target's classes, or its
 * bins for regression).
 */
import type { FittedStep } from './fitted';
import { getColumn, type Frame, type ValueColumn } from './frame';

type Feature = { name: string; v: number[] };

function features(frame: Frame, train: ArrayLike<number>, names: readonly string[]): Feature[] {
  return names.map((name) => {
    const col = getColumn(frame, name) as ValueColumn;
    const v = new Array<number>(train.length);
    for (let i = 0; i < train.length; i++) v[i] = col.values[train[i]!]!;
    return { name, v };
  });
}

function variance(v: readonly number[]): number {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
}

function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n, mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { const da = a[i]! - ma, db = b[i]! - mb; sab += da * db; saa += da * da; sbb += db * db; }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** Drops features whose training variance (population) is at most `threshold` (scikit-learn's VarianceThreshold). */
export function fitVarianceThreshold(frame: Frame, train: ArrayLike<number>, names: readonly string[], threshold: number): FittedStep {
  const keep: string[] = [];
  const dropped: { column: string; reason: string }[] = [];
  for (const f of features(frame, train, names)) {
    const v = variance(f.v);
    if (v > threshold) keep.push(f.name); else dropped.push({ column: f.name, reason: `training variance ${+v.toPrecision(4)} ≤ ${threshold}` });
  }
  return { step: 'select', by: 'variance_threshold', method: `variance > ${threshold}`, keep, dropped };
}

/** Walks the features in order and drops each one whose |Pearson r| with an already kept one exceeds `threshold`. */
export function fitCorrelationFilter(frame: Frame, train: ArrayLike<number>, names: readonly string[], threshold: number): FittedStep {
  const fs = features(frame, train, names);
  const kept: Feature[] = [];
  const dropped: { column: string; reason: string }[] = [];
  for (const f of fs) {
    const hit = kept.map((k) => ({ k, r: pearson(f.v, k.v) })).find((x) => Math.abs(x.r) > threshold);
    if (hit) dropped.push({ column: f.name, reason: `|r| = ${Math.abs(hit.r).toFixed(3)} with ${hit.k.name} > ${threshold}` });
    else kept.push(f);
  }
  return { step: 'select', by: 'correlation_filter', method: `correlation |r| ≤ ${threshold}`, keep: kept.map((k) => k.name), dropped };
}

/** ANOVA F statistic of one feature across classes (f_classif). */
export function fClassif(x: readonly number[], y: ArrayLike<number>): number {
  const n = x.length;
  const sums = new Map<number, { s: number; n: number }>();
  let total = 0;
  for (let i = 0; i < n; i++) { const g = sums.get(y[i]!) ?? { s: 0, n: 0 }; g.s += x[i]!; g.n++; sums.set(y[i]!, g); total += x[i]!; }
  const mean = total / n;
  let between = 0;
  for (const g of sums.values()) between += g.n * (g.s / g.n - mean) ** 2;
  let within = 0;
  for (let i = 0; i < n; i++) { const g = sums.get(y[i]!)!; within += (x[i]! - g.s / g.n) ** 2; }
  const k = sums.size;
  return within > 0 ? (between / (k - 1)) / (within / (n - k)) : between > 0 ? Infinity : 0;
}

/** F statistic of a univariate linear regression (f_regression): r² / (1 − r²) · (n − 2). */
export function fRegression(x: readonly number[], y: ArrayLike<number>): number {
  const r = pearson(x, Array.from(y));
  return r * r < 1 ? (r * r) / (1 - r * r) * (x.length - 2) : Infinity;
}

/** Equal-frequency bin index (0 … bins−1) of each value. */
function binned(v: readonly number[], bins: number): Int32Array {
  const order = v.map((_, i) => i).sort((a, b) => v[a]! - v[b]!);
  const out = new Int32Array(v.length);
  order.forEach((i, rank) => { out[i] = Math.min(bins - 1, Math.floor((rank * bins) / v.length)); });
  // Equal values share the bin of their first occurrence, so ties are never split.
  for (let r = 1; r < order.length; r++) if (v[order[r]!] === v[order[r - 1]!]) out[order[r]!] = out[order[r - 1]!]!;
  return out;
}

/** Mutual information (nats) between two discrete codings. */
function mutualInformation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const joint = new Map<string, number>(), pa = new Map<number, number>(), pb = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const k = `${a[i]},${b[i]}`;
    joint.set(k, (joint.get(k) ?? 0) + 1); pa.set(a[i]!, (pa.get(a[i]!) ?? 0) + 1); pb.set(b[i]!, (pb.get(b[i]!) ?? 0) + 1);
  }
  let mi = 0;
  for (const [k, c] of joint) {
    const [x, y] = k.split(',').map(Number) as [number, number];
    mi += (c / n) * Math.log((c * n) / (pa.get(x)! * pb.get(y)!));
  }
  return mi;
}

/**
 * Keeps the k features with the highest score against the training target `y` ([n_train], class indices for
 * classification). Ties keep the earlier feature.
 */
export function fitKBest(
  frame: Frame, train: ArrayLike<number>, names: readonly string[], y: ArrayLike<number>, k: number,
  score: 'f_test' | 'mutual_info', classification: boolean,
): FittedStep {
  const fs = features(frame, train, names);
  const yCodes = classification ? y : binned(Array.from(y), 10);
  const scores = fs.map((f) => (score === 'f_test'
    ? (classification ? fClassif(f.v, y) : fRegression(f.v, y))
    : mutualInformation(binned(f.v, 10), yCodes)));
  const order = fs.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const keepSet = new Set(order.slice(0, k));
  return {
    step: 'select', by: 'k_best', method: `k_best (k = ${k}, ${score})`,
    keep: fs.filter((_, i) => keepSet.has(i)).map((f) => f.name),
    dropped: fs.flatMap((f, i) => (keepSet.has(i) ? [] : [{ column: f.name, reason: `${score} score ${+scores[i]!.toPrecision(4)} below the ${k} best` }])),
  };
}
