/**
 * Gradient-based attributions for differentiable models (MLP, linear and logistic models):
 * - integrated gradients (Sundararajan, Taly & Yan 2017, "Axiomatic Attribution for Deep Networks"):
 *   IGᵢ(x) = (xᵢ − x′ᵢ) ∫₀¹ ∂f/∂xᵢ(x′ + α(x − x′)) dα, by the trapezoid rule or Gauss–Legendre quadrature, with
 *   the completeness gap |Σ IG − (f(x) − f(x′))| reported;
 * - gradient × input (Shrikumar et al. 2016; Ancona et al. 2018): xᵢ · ∂f/∂xᵢ(x);
 * - saliency (Simonyan, Vedaldi & Zisserman 2014): |∂f/∂xᵢ(x)|.
 * Every path point of every sample goes to the model's gradient in one batched call on a dense buffer (split only
 * beyond `batchRows`).
 */
import { denseFromRows, denseRowSlice, denseZeros, rowsOfDense, type DenseMatrix } from '../models/denseMatrix';
import type { DifferentiableModel } from '../models/model';
import { checkMatrix, CountingModel, columnMeans, DEFAULT_BATCH_ROWS, type Matrix } from './common';
import { featureNames, type AttributionResult } from './types';

const sumOf = (v: readonly number[]): number => v.reduce((s, x) => s + x, 0);

export type Quadrature = 'trapezoid' | 'gauss_legendre';

/** Nodes and weights of an m-point rule on [0, 1]. @throws Error for m < 1. */
export function quadratureRule(kind: Quadrature, steps: number): { nodes: number[]; weights: number[] } {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`integration steps must be a positive integer, not ${steps}`);
  if (kind === 'trapezoid') {
    // `steps` intervals, steps + 1 points, end points weighted by half.
    const nodes = Array.from({ length: steps + 1 }, (_, k) => k / steps);
    const weights = nodes.map((_, k) => (k === 0 || k === steps ? 0.5 : 1) / steps);
    return { nodes, weights };
  }
  // Gauss–Legendre: roots of P_m by Newton's method from Chebyshev-like starts (Numerical Recipes' gauleg).
  const nodes: number[] = [];
  const weights: number[] = [];
  for (let i = 1; i <= steps; i++) {
    let z = Math.cos(Math.PI * (i - 0.25) / (steps + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p1 = 1; let p2 = 0;
      for (let j = 1; j <= steps; j++) { const p3 = p2; p2 = p1; p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j; }
      dp = (steps * (z * p1 - p2)) / (z * z - 1);
      const dz = p1 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-15) break;
    }
    nodes.push((1 - z) / 2);
    weights.push(1 / ((1 - z * z) * dp * dp));
  }
  return { nodes, weights };
}

/**
 * ∂ output / ∂ x of dense rows [n, n_features] → [n, n_features], in calls of at most `batchRows` rows (views of
 * the buffer): the model's `gradientDense` when it has one, else `gradient` on rows.
 */
async function gradientBatched(model: DifferentiableModel, rows: DenseMatrix, output: number, batchRows: number): Promise<DenseMatrix> {
  const out = denseZeros(rows.rows, rows.cols);
  for (let s = 0; s < rows.rows; s += batchRows) {
    const chunk = denseRowSlice(rows, s, Math.min(rows.rows, s + batchRows));
    let g: DenseMatrix;
    if (model.gradientDense) g = await model.gradientDense(chunk, output);
    else {
      const r = await model.gradient(rowsOfDense(chunk), output);
      if (r.length !== chunk.rows) throw new Error(`the model returned ${r.length} gradients for ${chunk.rows} rows`);
      g = denseFromRows(r, chunk.cols, 'the model\'s gradients');
    }
    if (g.rows !== chunk.rows) throw new Error(`the model returned ${g.rows} gradients for ${chunk.rows} rows`);
    if (g.cols !== chunk.cols) throw new Error(`the model returned gradients of ${g.cols} values for ${chunk.cols} features`);
    out.data.set(g.data, s * rows.cols);
  }
  return out;
}

export interface IntegratedGradientsOptions {
  /** 'zero', 'mean' (of `data`), or a given baseline row [n_features] in model scale. Default 'zero'. */
  baseline?: 'zero' | 'mean' | readonly number[];
  /** Rows whose mean is the 'mean' baseline. */
  data?: Matrix;
  /** Intervals (trapezoid) or points (Gauss–Legendre); default 50. */
  steps?: number;
  /** Default 'trapezoid' (ReLU networks are only piecewise smooth, where Gauss–Legendre gains nothing). */
  quadrature?: Quadrature;
  output?: number;
  features?: readonly string[];
  batchRows?: number;
}

function baselineOf(options: IntegratedGradientsOptions, d: number): number[] {
  const b = options.baseline ?? 'zero';
  if (b === 'zero') return new Array<number>(d).fill(0);
  if (b === 'mean') {
    if (!options.data) throw new Error("integrated gradients: the 'mean' baseline needs `data`");
    checkMatrix(options.data, d, 'integrated gradients baseline data');
    return columnMeans(options.data);
  }
  if (b.length !== d || b.some((v) => !Number.isFinite(v))) throw new Error(`integrated gradients: the baseline must be ${d} finite numbers`);
  return [...b];
}

/**
 * Integrated gradients of x [n_samples, n_features] for one output.
 * @returns values [n_samples, n_features]; baseValues = f(x′); gaps = |Σ IG − (f(x) − f(x′))|, relativeGaps =
 *   gaps / |f(x) − f(x′)| (0 when that difference is below 1e-12); details.completenessGap = Σ gaps /
 *   Σ |f(x) − f(x′)| over the samples (the figure to hold under 1 %), details.maxRelativeGap; evaluations = gradient rows + predicted
 *   rows = n · (points + 1) + 1.
 * @throws Error for a bad baseline, steps or shapes.
 */
export async function integratedGradients(model: DifferentiableModel, x: Matrix, options: IntegratedGradientsOptions = {}): Promise<AttributionResult> {
  const d = model.nFeatures;
  checkMatrix(x, d, 'integrated gradients');
  const k = options.output ?? 0;
  const base = baselineOf(options, d);
  const quad = options.quadrature ?? 'trapezoid';
  const steps = options.steps ?? 50;
  const { nodes, weights } = quadratureRule(quad, steps);
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  // Every quadrature point of every sample's straight path as one row of a dense batch.
  const P = nodes.length;
  const rows = denseZeros(x.length * P, d);
  x.forEach((xi, i) => nodes.forEach((a, p) => { const o = (i * P + p) * d; for (let j = 0; j < d; j++) rows.data[o + j] = base[j]! + a * (xi[j]! - base[j]!); }));
  const grads = (await gradientBatched(model, rows, k, batchRows)).data;
  const counter = new CountingModel(model, batchRows);
  const f = await counter.predictOutput([base, ...x], k);
  const fBase = f[0]!;
  const values = x.map((xi, i) => xi.map((v, j) => {
    let s = 0;
    for (let p = 0; p < P; p++) s += weights[p]! * grads[(i * P + p) * d + j]!;
    return (v - base[j]!) * s;
  }));
  const predictions = f.slice(1);
  const gaps = values.map((phi, i) => Math.abs(phi.reduce((s, v) => s + v, 0) - (predictions[i]! - fBase)));
  const relativeGaps = gaps.map((g, i) => { const diff = Math.abs(predictions[i]! - fBase); return diff < 1e-12 ? 0 : g / diff; });
  return {
    method: 'integrated_gradients', output: k, outputName: model.outputs[k] ?? `output${k}`, features: featureNames(options.features, d),
    values, baseValues: x.map(() => fBase), predictions, gaps, relativeGaps, evaluations: rows.rows + counter.evaluations,
    details: {
      quadrature: quad, points: nodes.length, baseline: typeof options.baseline === 'string' ? options.baseline : options.baseline ? 'given' : 'zero',
      // The run's completeness gap: Σ|gap| / Σ|f(x) − f(x′)|; one sample's can be larger where the straight path
      // crosses ReLU kinks between quadrature points (an O(1/steps) error there).
      completenessGap: sumOf(gaps) / Math.max(1e-300, sumOf(predictions.map((p) => Math.abs(p - fBase)))),
      maxRelativeGap: Math.max(...relativeGaps),
    },
  };
}

export interface GradientOptions { output?: number; features?: readonly string[]; batchRows?: number }

/**
 * One batched gradient pass and one batched prediction of x [n_samples, n_features], the attribution per row made
 * from (x row, gradient row) by `combine`. Shared by gradient × input and saliency, which differ only there.
 */
async function localGradientAttribution(
  method: 'gradient_x_input' | 'saliency', combine: (row: readonly number[], gradient: Float64Array) => number[],
  model: DifferentiableModel, x: Matrix, options: GradientOptions,
): Promise<AttributionResult> {
  const d = model.nFeatures;
  checkMatrix(x, d, method === 'saliency' ? 'saliency' : 'gradient × input');
  const k = options.output ?? 0;
  const dense = denseFromRows(x, d, method);
  const g = await gradientBatched(model, dense, k, options.batchRows ?? DEFAULT_BATCH_ROWS);
  const counter = new CountingModel(model, options.batchRows);
  const predictions = Array.from(await counter.predictOutputDense(dense, k));
  return {
    method, output: k, outputName: model.outputs[k] ?? `output${k}`, features: featureNames(options.features, d),
    values: x.map((row, i) => combine(row, g.data.subarray(i * d, (i + 1) * d))), baseValues: x.map(() => 0), predictions,
    evaluations: x.length + counter.evaluations, details: {},
  };
}

/**
 * Gradient × input xᵢ · ∂f/∂xᵢ(x) of x [n_samples, n_features]: for a linear model, integrated gradients from
 * the zero baseline. @returns values [n_samples, n_features]; evaluations = n gradient rows + n predicted rows.
 */
export function gradientTimesInput(model: DifferentiableModel, x: Matrix, options: GradientOptions = {}): Promise<AttributionResult> {
  return localGradientAttribution('gradient_x_input', (row, g) => row.map((v, j) => v * g[j]!), model, x, options);
}

/**
 * Saliency |∂f/∂xᵢ(x)| of x [n_samples, n_features] (units of the output per unit of the feature).
 * @returns values [n_samples, n_features] ≥ 0; evaluations = n gradient rows + n predicted rows.
 */
export function saliency(model: DifferentiableModel, x: Matrix, options: GradientOptions = {}): Promise<AttributionResult> {
  return localGradientAttribution('saliency', (_row, g) => Array.from(g, (v) => Math.abs(v)), model, x, options);
}
