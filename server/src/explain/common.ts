/**
 * Plumbing shared by the explainers: row-major matrices, batched model calls that count the rows they predict,
 * and small statistics (mean, sample standard deviation, Student-t quantiles, Spearman's rank correlation).
 */
import { denseFromRows, denseRowSlice, denseZeros, isDenseMatrix, rowsOfDense, type DenseMatrix } from '../models/denseMatrix';
import type { FittedModel } from '../models/model';

/** Row-major matrix [n_rows, n_cols] as an array of rows (the explainers' public inputs). */
export type Matrix = readonly (readonly number[])[];

/** Most rows sent to `predict` in one call; larger requests are split into batches of this size. */
export const DEFAULT_BATCH_ROWS = 65_536;

/**
 * One batched predict on a dense matrix: x [n, n_features] → [n, n_outputs]. Through the model's `predictDense`
 * when it has one (every family), else through `predict` on rows (ad-hoc function models).
 * @throws Error when the model returns another number of rows.
 */
export async function predictDenseOnce(model: FittedModel, x: DenseMatrix): Promise<DenseMatrix> {
  if (model.predictDense) {
    const y = await model.predictDense(x);
    if (y.rows !== x.rows) throw new Error(`the model returned ${y.rows} predictions for ${x.rows} rows`);
    return y;
  }
  const y = await model.predict(rowsOfDense(x));
  if (y.length !== x.rows) throw new Error(`the model returned ${y.length} predictions for ${x.rows} rows`);
  return denseFromRows(y, y[0]?.length ?? model.outputs.length, 'the model\'s predictions');
}

/**
 * A model wrapped so that every call is batched and counted: `evaluations` is the number of rows predicted so
 * far, `calls` the number of calls made to the model. Rows beyond `batchRows` are split into several calls
 * (never one call per row); batches of a dense matrix are views of its buffer, not copies.
 */
export class CountingModel {
  evaluations = 0;
  calls = 0;
  constructor(readonly model: FittedModel, readonly batchRows = DEFAULT_BATCH_ROWS) {}

  /** x dense [n, n_features] → [n, n_outputs]. @throws Error when the model returns the wrong shape. */
  async predictDense(x: DenseMatrix): Promise<DenseMatrix> {
    let out: DenseMatrix | undefined;
    for (let start = 0; start < x.rows; start += this.batchRows) {
      const end = Math.min(x.rows, start + this.batchRows);
      const y = await predictDenseOnce(this.model, denseRowSlice(x, start, end));
      this.calls++;
      if (start === 0 && end === x.rows) out = y;
      else {
        out ??= denseZeros(x.rows, y.cols);
        if (y.cols !== out.cols) throw new Error(`the model returned ${y.cols} outputs per row, then ${out.cols}`);
        out.data.set(y.data, start * y.cols);
      }
    }
    this.evaluations += x.rows;
    return out ?? denseZeros(0, this.model.outputs.length);
  }

  /** x [n, n_features] → [n, n_outputs]. @throws Error when the model returns the wrong shape. */
  async predict(x: Matrix | DenseMatrix): Promise<number[][]> {
    if (isDenseMatrix(x)) return rowsOfDense(await this.predictDense(x));
    const out: number[][] = [];
    for (let start = 0; start < x.length; start += this.batchRows) {
      const chunk = x.slice(start, start + this.batchRows);
      const y = this.model.predictDense
        ? rowsOfDense(await predictDenseOnce(this.model, denseFromRows(chunk, this.model.nFeatures, 'predict')))
        : await this.model.predict(chunk);
      this.calls++;
      if (y.length !== chunk.length) throw new Error(`the model returned ${y.length} predictions for ${chunk.length} rows`);
      for (const row of y) out.push(row);
    }
    this.evaluations += x.length;
    return out;
  }

  /** One output column of `predict`: x [n, n_features] → [n]. */
  async predictOutput(x: Matrix | DenseMatrix, output: number): Promise<number[]> {
    return Array.from(await this.predictOutputDense(isDenseMatrix(x) ? x : denseFromRows(x, this.model.nFeatures, 'predict'), output));
  }

  /** One output column of `predictDense`: x [n, n_features] → [n]. @throws Error when there is no such output. */
  async predictOutputDense(x: DenseMatrix, output: number): Promise<Float64Array> {
    const y = await this.predictDense(x);
    if (x.rows === 0) return new Float64Array(0);
    if (!(Number.isInteger(output) && output >= 0 && output < y.cols)) throw new Error(`the model has no output ${output} (row 0 has ${y.cols} outputs)`);
    if (y.cols === 1) return y.data;
    const col = new Float64Array(y.rows);
    for (let i = 0; i < y.rows; i++) col[i] = y.data[i * y.cols + output]!;
    return col;
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
  for (let i = 0; i < x.length; i++) {
    const row = x[i]!;
    if (row.length !== nFeatures) throw new Error(`${what}: row ${i} has ${row.length} values, expected ${nFeatures} features`);
    for (let j = 0; j < nFeatures; j++) { const v = row[j]!; if (!Number.isFinite(v)) throw new Error(`${what}: row ${i}, column ${j} is ${v}, not a finite number`); }
  }
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
