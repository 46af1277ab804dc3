/**
 * Linear support vector machine by dual coordinate descent (Hsieh, Chang, Lin, Keerthi & Sundararajan 2008,
 * "A dual coordinate descent method for large-scale linear SVM", ICML; LIBLINEAR's `solve_l2r_l1l2_svc`):
 *
 *   min_w ½‖w‖² + C Σ ξ(w; x_i, y_i),   ξ = max(0, 1 − y wᵀx) (hinge) or its square (squared hinge),
 *
 * with the intercept learnt as the weight of a constant feature 1 (LIBLINEAR's bias term with
 * intercept_scaling = 1, so it is regularized too, as in scikit-learn's `LinearSVC`). Several classes: one
 * binary machine per class against the rest. Probabilities: Platt scaling of each machine's decision values,
 * fitted on out-of-fold decision values (k-fold cross-fitting, as scikit-learn's SVC(probability=True)) so
 * that they are not overconfident; one-vs-rest probabilities are normalized to sum 1.
 */
import { permutation, seededRandom } from '../data/random';
import { LinearFitted } from './linear';
import { fitPlatt, type PlattParams } from './platt';

export type SvmLoss = 'hinge' | 'squared_hinge';

export interface LinearSvmOptions {
  /** Default squared_hinge (scikit-learn's LinearSVC default). */
  loss?: SvmLoss;
  /** Penalty C > 0 of the training errors; default 1. */
  C?: number;
  /** Stop when the projected-gradient spread is below this; default 1e-6. */
  tol?: number;
  /** Passes over the data; default 10000. */
  maxIterations?: number;
  /** Seed of the coordinate order and of the Platt folds; default 0. */
  seed?: number;
  /** Folds for the out-of-fold Platt fit; 0 fits on the training decision values; default 5. */
  plattFolds?: number;
}

/**
 * One binary machine: labels t [n] in {−1, +1}. @returns weights [d] and intercept.
 * Algorithm 1 of Hsieh et al. (2008) without shrinking: α_i ∈ [0, U], Q̄_ii = x_iᵀx_i + D_ii,
 * hinge: U = C, D = 0; squared hinge: U = ∞, D = 1/(2C).
 */
export function fitBinarySvm(x: readonly (readonly number[])[], t: readonly number[], options: LinearSvmOptions = {}): { weights: number[]; intercept: number; iterations: number } {
  const n = x.length;
  const d = x[0]!.length;
  const C = options.C ?? 1;
  const loss = options.loss ?? 'squared_hinge';
  const U = loss === 'hinge' ? C : Infinity;
  const D = loss === 'hinge' ? 0 : 1 / (2 * C);
  const tol = options.tol ?? 1e-6;
  const maxIt = options.maxIterations ?? 10000;
  const w = new Float64Array(d + 1); // last: bias weight on the constant feature 1
  const alpha = new Float64Array(n);
  const qd = x.map((r) => r.reduce((s, v) => s + v * v, 0) + 1 + D);
  const random = seededRandom(options.seed ?? 0);
  let it = 0;
  for (; it < maxIt; it++) {
    let pgMax = -Infinity;
    let pgMin = Infinity;
    for (const i of permutation(n, random)) {
      const row = x[i]!;
      const yi = t[i]!;
      let wx = w[d]!;
      for (let j = 0; j < d; j++) wx += w[j]! * row[j]!;
      const G = yi * wx - 1 + D * alpha[i]!;
      let pg = G;
      if (alpha[i] === 0) pg = Math.min(G, 0);
      else if (alpha[i] === U) pg = Math.max(G, 0);
      pgMax = Math.max(pgMax, pg);
      pgMin = Math.min(pgMin, pg);
      if (Math.abs(pg) > 1e-12) {
        const old = alpha[i]!;
        alpha[i] = Math.min(Math.max(old - G / qd[i]!, 0), U);
        const delta = (alpha[i]! - old) * yi;
        for (let j = 0; j < d; j++) w[j] = w[j]! + delta * row[j]!;
        w[d] = w[d]! + delta;
      }
    }
    if (pgMax - pgMin <= tol) break;
  }
  return { weights: Array.from(w.subarray(0, d)), intercept: w[d]!, iterations: it };
}

/**
 * Fits a linear SVM classifier with Platt probabilities.
 * @param x [n_samples, n_features] (standardize first: the dual method and the shared penalty assume it);
 *   y class indices [n_samples] into `classes` (binary: the machine scores the SECOND class).
 * @throws Error on bad input.
 */
export function fitLinearSvm(x: readonly (readonly number[])[], y: readonly number[], classes: readonly string[], options: LinearSvmOptions = {}): LinearFitted {
  if (x.length === 0) throw new Error('linear SVM: no rows');
  if (y.length !== x.length) throw new Error(`linear SVM: ${x.length} rows but ${y.length} targets`);
  const d = x[0]!.length;
  x.forEach((row, i) => {
    if (row.length !== d) throw new Error(`linear SVM: row ${i} has ${row.length} values, expected ${d}`);
    row.forEach((v, j) => { if (!Number.isFinite(v)) throw new Error(`linear SVM: row ${i}, feature ${j} is ${v}, not a finite number`); });
  });
  if (!((options.C ?? 1) > 0)) throw new Error(`linear SVM: C must be > 0, not ${options.C}`);
  const K = classes.length;
  y.forEach((v, i) => { if (!(Number.isInteger(v) && v >= 0 && v < K)) throw new Error(`linear SVM: row ${i} has class ${v}, not in 0 … ${K - 1}`); });
  const positives = K === 2 ? [1] : Array.from({ length: K }, (_, k) => k);
  const weights: number[][] = [];
  const intercepts: number[] = [];
  const platt: PlattParams[] = [];
  const folds = options.plattFolds ?? 5;
  const order = permutation(x.length, seededRandom((options.seed ?? 0) + 1));
  const foldOf = new Int32Array(x.length);
  order.forEach((i, r) => { foldOf[i] = r % Math.max(1, folds); });
  for (const k of positives) {
    const t = y.map((v) => (v === k ? 1 : -1));
    const m = fitBinarySvm(x, t, options);
    weights.push(m.weights);
    intercepts.push(m.intercept);
    // Out-of-fold decision values for Platt's fit (training values when folds < 2 or a fold lacks a class).
    const f = new Array<number>(x.length);
    let crossFitted = folds >= 2;
    for (let fold = 0; crossFitted && fold < folds; fold++) {
      const inTrain = x.map((_, i) => foldOf[i] !== fold);
      const tx = x.filter((_, i) => inTrain[i]);
      const tt = t.filter((_, i) => inTrain[i]);
      if (!tt.includes(1) || !tt.includes(-1)) { crossFitted = false; break; }
      const mf = fitBinarySvm(tx, tt, options);
      x.forEach((row, i) => { if (!inTrain[i]) f[i] = row.reduce((s, v, j) => s + v * mf.weights[j]!, mf.intercept); });
    }
    if (!crossFitted) x.forEach((row, i) => { f[i] = row.reduce((s, v, j) => s + v * m.weights[j]!, m.intercept); });
    platt.push(fitPlatt(f, t.map((v) => (v === 1 ? 1 : 0))));
  }
  return new LinearFitted('linear_svm', 'classification', [...classes], { weights, intercepts, link: 'platt', platt });
}
