/**
 * Plumbing shared by the explainers: row-major matrices, batched model calls that count the rows they predict,
 * and small statistics (mean, sample standard deviation, Student-t quantiles, Spearman's rank correlation).
 */
import type { FittedModel } from '../models/model';

/** Row-major matrix [n_rows, n_cols]. */
export type Matrix = readonly (readonly number[])[];

/** Most rows sent to `predict` in one call; larger requests are split into batches of this size. */
export const DEFAULT_BATCH_ROWS = 65_536;

/**
 * A model wrapped so that every call is batched and counted: `evaluations` is the number of rows predicted so
 * far. Rows beyond `batchRows` are split into several calls (never one call per row).
 */
export class CountingModel {
  evaluations = 0;
  calls = 0;
  constructor(readonly model: FittedModel, readonly batchRows = DEFAULT_BATCH_ROWS) {}

  /** x [n, n_features] → [n, n_outputs]. @throws Error when the model returns the wrong shape. */
  async predict(x: Matrix): Promise<number[][]> {
    const out: number[][] = [];
    for (let start = 0; start < x.length; start += this.batchRows) {
      const chunk = x.slice(start, start + this.batchRows);
      const y = await this.model.predict(chunk);
      this.calls++;
      if (y.length !== chunk.length) throw new Error(`the model returned ${y.length} predictions for ${chunk.length} rows`);
      for (const row of y) out.push(row);
    }
    this.evaluations += x.length;
    return out;
  }

  /** One output column of `predict`: x [n, n_features] → [n]. */
  async predictOutput(x: Matrix, output: number): Promise<number[]> {
    const y = await this.predict(x);
    return y.map((row, i) => {
      const v = row[output];
      if (v === undefined) throw new Error(`the model has no output ${output} (row ${i} has ${row.length} outputs)`);
      return v;
    });
  }
}

/**
 * Wraps a plain function of rows as a regression `FittedModel` with one output, e.g. an analytic test function.
 * @param f x [n, n_features] → [n]
 */
export function functionModel(f: (x: Matrix) => number[] | Promise<number[]>, nFeatures: number, name = 'f'): FittedModel {
  return {
    family: 'mlp', task: 'regression', nFeatures, outputs: [name],
    async predict(x) { return (await f(x)).map((v) => [v]); },
  };
}

/** Checks that x is a non-empty [n, nFeatures] matrix of finite numbers. @throws Error naming the row and column. */
export function checkMatrix(x: Matrix, nFeatures: number, what: string): void {
  if (x.length === 0) throw new Error(`${what}: needs at least one row`);
  x.forEach((row, i) => {
    if (row.length !== nFeatures) throw new Error(`${what}: row ${i} has ${row.length} values, expected ${nFeatures} features`);
    row.forEach((v, j) => { if (!Number.isFinite(v)) throw new Error(`${what}: row ${i}, column ${j} is ${v}, not a finite number`); });
  });
}

export function mean(v: readonly number[]): number {
  let s = 0;
  for (const x of v) s += x;
  return s / v.length;
}

/** Sample standard deviation (ddof = 1); 0 for fewer than two values. */
export function sampleStd(v: readonly number[]): number {
  if (v.length < 2) return 0;
  const m = mean(v);
  let s = 0;
  for (const x of v) s += (x - m) ** 2;
  return Math.sqrt(s / (v.length - 1));
}

/** Column means of x [n, d] → [d]. */
export function columnMeans(x: Matrix): number[] {
  const d = x[0]?.length ?? 0;
  const m = new Array<number>(d).fill(0);
  for (const row of x) for (let j = 0; j < d; j++) m[j]! += row[j]!;
  return m.map((s) => s / x.length);
}

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0 || p >= 1) throw new Error(`normal quantile: p must be in (0, 1), not ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/**
 * Student-t quantile with `df` degrees of freedom (Hill 1970, "Algorithm 396", the Cornish–Fisher expansion;
 * exact closed forms for df = 1 and 2). Accurate to about 1e-4 for df ≥ 3, which is ample for confidence intervals.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(df >= 1)) throw new Error(`Student-t quantile: degrees of freedom must be ≥ 1, not ${df}`);
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) { const a = 4 * p * (1 - p); return (2 * p - 1) * Math.sqrt(2 / a); }
  const z = normalQuantile(p);
  const z2 = z * z;
  const g1 = (z2 + 1) * z / 4;
  const g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
  const g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
  const g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/** Ranks 1…n with ties given their average rank. */
export function ranks(v: readonly number[]): number[] {
  const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(v.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) r[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/** Pearson correlation of two equal-length vectors; NaN when either is constant. */
export function pearson(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0; let saa = 0; let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    const da = a[i]! - ma; const db = b[i]! - mb;
    sab += da * db; saa += da * da; sbb += db * db;
  }
  return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
}

/** Spearman's rank correlation: Pearson's correlation of the (tie-averaged) ranks; NaN when either is constant. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`Spearman correlation: ${a.length} and ${b.length} values`);
  return pearson(ranks(a), ranks(b));
}

/** The p-quantile of values (linear interpolation between order statistics, NumPy's default). */
export function quantile(values: readonly number[], p: number): number {
  const s = [...values].sort((x, y) => x - y);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}
