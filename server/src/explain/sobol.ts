/**
 * Variance-based sensitivity: first-order and total Sobol indices (Sobol' 1993) by Saltelli's sampling scheme
 * (Saltelli 2002; Saltelli et al. 2010, "Variance based sensitivity analysis of model output. Design and
 * estimator for the total sensitivity index"): two independent N × d sample matrices A and B, and for each
 * feature i the matrix A_B^(i) (A with column i from B); N · (d + 2) model evaluations in one batch.
 *   first order  Sᵢ  = (1/N) Σ f(B)(f(A_B^(i)) − f(A)) / V          (Saltelli et al. 2010, Table 2 (b))
 *   total        STᵢ = (1/2N) Σ (f(A) − f(A_B^(i)))² / V            (Jansen 1999)
 * with V the variance of f over A and B together; confidence intervals by bootstrapping the N rows.
 * The indices assume independent inputs: on data, each feature is drawn from its own empirical marginal (which
 * makes them independent by construction), and the result says how correlated the real columns are.
 */
import { seededRandom } from '../data/random';
import { denseZeros } from '../models/denseMatrix';
import type { FittedModel } from '../models/model';
import { checkMatrix, CountingModel, pearson, quantile, type Matrix } from './common';
import { featureNames } from './types';

export type SobolInputs =
  | { kind: 'uniform'; bounds: readonly (readonly [number, number])[] }
  | { kind: 'empirical'; data: Matrix };

export interface SobolOptions {
  inputs: SobolInputs;
  /** Base sample size N (rows of A and of B); default 4096. */
  samples?: number;
  /**
   * 'halton': a Halton sequence in 2d dimensions with a seeded random shift (quasi-random, default when 2d ≤ 20);
   * 'random': seeded pseudo-random numbers (default beyond).
   */
  sampler?: 'halton' | 'random';
  seed?: number;
  /** Bootstrap resamples for the confidence intervals (default 200; 0 for none). */
  bootstrap?: number;
  confidenceLevel?: number;
  /** |Pearson correlation| of two data columns above which the result is flagged (default 0.3). */
  correlationThreshold?: number;
  output?: number;
  features?: readonly string[];
  batchRows?: number;
}

export interface SobolIndex {
  feature: string;
  first: number;
  total: number;
  /** Bootstrap percentile intervals at `confidenceLevel`. */
  firstCi?: [number, number];
  totalCi?: [number, number];
}

export interface SobolResult {
  method: 'sobol';
  output: number;
  indices: SobolIndex[];
  /** Mean and variance of the output over A and B. */
  mean: number;
  variance: number;
  samples: number;
  sampler: 'halton' | 'random';
  confidenceLevel: number;
  /** Empirical inputs only: the largest |correlation| between two data columns, the pair, and the flag. */
  maxAbsCorrelation?: number;
  correlatedPair?: [string, string];
  correlated?: boolean;
  evaluations: number;
}

const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113,
  127, 131, 137, 139, 149, 151, 157, 163, 167, 173, 179, 181, 191, 193, 197, 199, 211, 223, 227, 229];

function radicalInverse(i: number, base: number): number {
  let f = 1; let r = 0;
  for (let n = i; n > 0; n = Math.floor(n / base)) { f /= base; r += f * (n % base); }
  return r;
}

/** [n, dims] points in [0, 1): Halton (shifted modulo 1 by a seeded random vector) or pseudo-random. */
function unitSamples(n: number, dims: number, sampler: 'halton' | 'random', seed: number): number[][] {
  const random = seededRandom(seed);
  if (sampler === 'random') return Array.from({ length: n }, () => Array.from({ length: dims }, () => random()));
  if (dims > PRIMES.length) throw new Error(`Sobol indices: the Halton sampler supports up to ${PRIMES.length / 2} features; use sampler: random`);
  const shift = Array.from({ length: dims }, () => random());
  return Array.from({ length: n }, (_, i) => Array.from({ length: dims }, (_, k) => (radicalInverse(i + 1, PRIMES[k]!) + shift[k]!) % 1));
}

/**
 * Column j of data [n, d] in ascending order, as a stable sort by value gives it: the numeric typed-array sort
 * (several times faster than a comparator) puts −0 before +0, so the zeros are put back in data order.
 */
function sortedColumn(data: Matrix, j: number): Float64Array {
  const n = data.length;
  const column = new Float64Array(n);
  for (let i = 0; i < n; i++) column[i] = data[i]![j]!;
  const sorted = column.slice().sort();
  let k = sorted.indexOf(0);
  if (k >= 0) for (let i = 0; i < n; i++) if (column[i] === 0) sorted[k++] = column[i]!;
  return sorted;
}

interface Estimates { first: number[]; total: number[] }

function estimate(fA: readonly number[], fB: readonly number[], fAB: readonly (readonly number[])[], rows: readonly number[]): Estimates {
  const n = rows.length;
  let s = 0; let s2 = 0;
  for (const r of rows) { s += fA[r]! + fB[r]!; s2 += fA[r]! ** 2 + fB[r]! ** 2; }
  const m = s / (2 * n);
  const v = s2 / (2 * n) - m * m;
  const first: number[] = [];
  const total: number[] = [];
  for (const fi of fAB) {
    let a = 0; let b = 0;
    for (const r of rows) { a += fB[r]! * (fi[r]! - fA[r]!); b += (fA[r]! - fi[r]!) ** 2; }
    first.push(v > 0 ? a / n / v : 0);
    total.push(v > 0 ? b / (2 * n) / v : 0);
  }
  return { first, total };
}

function maxCorrelation(data: Matrix, names: readonly string[]): { value: number; pair: [string, string] } {
  const d = names.length;
  const cols = Array.from({ length: d }, (_, j) => data.map((r) => r[j]!));
  let best = { value: 0, pair: [names[0]!, names[0]!] as [string, string] };
  for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) {
    const c = Math.abs(pearson(cols[a]!, cols[b]!));
    if (Number.isFinite(c) && c > best.value) best = { value: c, pair: [names[a]!, names[b]!] };
  }
  return best;
}

/**
 * First-order and total Sobol indices of one output of a model.
 * @returns one index per feature with bootstrap intervals, the output's mean and variance, and (empirical
 *   inputs) the correlation flag; evaluations = N · (d + 2).
 * @throws Error for bounds or data that do not match the model's features, or N < 2.
 */
export async function sobolIndices(model: FittedModel, options: SobolOptions): Promise<SobolResult> {
  const d = model.nFeatures;
  const n = options.samples ?? 4096;
  if (!Number.isInteger(n) || n < 2) throw new Error(`Sobol indices need at least 2 samples, not ${n}`);
  const names = featureNames(options.features, d);
  const inputs = options.inputs;
  let toValue: (j: number, u: number) => number;
  if (inputs.kind === 'uniform') {
    if (inputs.bounds.length !== d) throw new Error(`Sobol indices: ${inputs.bounds.length} bounds for ${d} features`);
    inputs.bounds.forEach(([lo, hi], j) => { if (!(hi > lo)) throw new Error(`Sobol indices: bounds of feature ${names[j]} must have lower < upper`); });
    toValue = (j, u) => inputs.bounds[j]![0] + u * (inputs.bounds[j]![1] - inputs.bounds[j]![0]);
  } else {
    checkMatrix(inputs.data, d, 'Sobol indices data');
    const sorted = Array.from({ length: d }, (_, j) => sortedColumn(inputs.data, j));
    // Inverse empirical CDF: a uniform u picks one of the column's values.
    toValue = (j, u) => sorted[j]![Math.min(sorted[j]!.length - 1, Math.floor(u * sorted[j]!.length))]!;
  }
  const sampler = options.sampler ?? (2 * d <= 20 ? 'halton' : 'random');
  const seed = options.seed ?? 0;
  const u = unitSamples(n, 2 * d, sampler, seed);
  const A = u.map((row) => row.slice(0, d).map((v, j) => toValue(j, v)));
  const B = u.map((row) => row.slice(d).map((v, j) => toValue(j, v)));
  // A, B and every A_B^(i), stacked in one dense [(d + 2)·N, d] batch.
  const stacked = denseZeros((d + 2) * n, d);
  const sd = stacked.data;
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) { sd[r * d + j] = A[r]![j]!; sd[(n + r) * d + j] = B[r]![j]!; }
  for (let i = 0; i < d; i++) {
    for (let r = 0; r < n; r++) {
      const o = ((2 + i) * n + r) * d;
      for (let j = 0; j < d; j++) sd[o + j] = A[r]![j]!;
      sd[o + i] = B[r]![i]!;
    }
  }
  const counter = new CountingModel(model, options.batchRows);
  const k = options.output ?? 0;
  const f = await counter.predictOutputDense(stacked, k);
  const fA = Array.from(f.subarray(0, n));
  const fB = Array.from(f.subarray(n, 2 * n));
  const fAB = Array.from({ length: d }, (_, i) => Array.from(f.subarray((2 + i) * n, (3 + i) * n)));
  const all = Array.from({ length: n }, (_, r) => r);
  const point = estimate(fA, fB, fAB, all);
  const mean = (fA.reduce((s, v) => s + v, 0) + fB.reduce((s, v) => s + v, 0)) / (2 * n);
  const variance = [...fA, ...fB].reduce((s, v) => s + (v - mean) ** 2, 0) / (2 * n);

  const level = options.confidenceLevel ?? 0.95;
  const nBoot = options.bootstrap ?? 200;
  const boots: Estimates[] = [];
  const random = seededRandom(seed + 1);
  for (let b = 0; b < nBoot; b++) boots.push(estimate(fA, fB, fAB, all.map(() => Math.floor(random() * n))));
  const ci = (values: number[]): [number, number] => [quantile(values, (1 - level) / 2), quantile(values, (1 + level) / 2)];
  const indices: SobolIndex[] = names.map((feature, i) => {
    const entry: SobolIndex = { feature, first: point.first[i]!, total: point.total[i]! };
    if (nBoot > 0) {
      entry.firstCi = ci(boots.map((e) => e.first[i]!));
      entry.totalCi = ci(boots.map((e) => e.total[i]!));
    }
    return entry;
  });
  const result: SobolResult = {
    method: 'sobol', output: k, indices, mean, variance, samples: n, sampler, confidenceLevel: level, evaluations: counter.evaluations,
  };
  if (inputs.kind === 'empirical' && d > 1) {
    const c = maxCorrelation(inputs.data, names);
    result.maxAbsCorrelation = c.value;
    result.correlatedPair = c.pair;
    result.correlated = c.value > (options.correlationThreshold ?? 0.3);
  }
  return result;
}
