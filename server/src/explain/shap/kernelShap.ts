/**
 * Kernel SHAP (Lundberg & Lee 2017, "A Unified Approach to Interpreting Model Predictions", Theorem 2): Shapley
 * values of the game v(S) = E_background[f(x_S, X_S̄)] as the weighted least-squares fit of v over coalitions
 * with the Shapley kernel π(S) = (M − 1) / (C(M, |S|) · |S| · (M − |S|)), under the efficiency constraint
 * Σφ = f(x) − E[f], which is imposed exactly by eliminating the last feature. With all 2^M − 2 proper coalitions
 * the fit is the exact Shapley value of v; beyond the budget the coalitions are sampled with probability ∝ π
 * (sizes by kernel mass, each paired with its complement), the estimator of the paper.
 * Model-agnostic: every coalition × background row of a batch of samples goes to the model in one call, as one
 * dense [rows, n_features] buffer.
 */
import { seededRandom } from '../../data/random';
import { denseZeros } from '../../models/denseMatrix';
import type { FittedModel } from '../../models/model';
import type { Background } from '../background';
import { checkMatrix, CountingModel, type Matrix } from '../common';
import { solve } from '../linalg';
import { featureNames, type AttributionResult } from '../types';

export interface KernelShapOptions {
  /** The background distribution (a k-means or sampled summary, or rows with equal weights). */
  background: Background;
  /** Output explained; default 0. */
  output?: number;
  /** Coalitions evaluated per sample; when 2^M − 2 fits, all are enumerated (exact). Default 2048. */
  coalitions?: number;
  seed?: number;
  features?: readonly string[];
  /** Most rows per predict call (default 65 536). */
  batchRows?: number;
}

interface Coalitions { masks: boolean[][]; weights: number[]; exact: boolean }

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

function enumerate(m: number): Coalitions {
  const masks: boolean[][] = [];
  const weights: number[] = [];
  for (let bits = 1; bits < 2 ** m - 1; bits++) {
    const mask = Array.from({ length: m }, (_, j) => ((bits >> j) & 1) === 1);
    const s = mask.filter(Boolean).length;
    masks.push(mask);
    weights.push((m - 1) / (binomial(m, s) * s * (m - s)));
  }
  return { masks, weights, exact: true };
}

function sample(m: number, budget: number, seed: number): Coalitions {
  const random = seededRandom(seed);
  // Kernel mass of size s (all C(M, s) coalitions together) ∝ (M − 1) / (s (M − s)).
  const sizeMass = Array.from({ length: m - 1 }, (_, i) => 1 / ((i + 1) * (m - i - 1)));
  const total = sizeMass.reduce((s, v) => s + v, 0);
  const counts = new Map<string, { mask: boolean[]; w: number }>();
  const add = (mask: boolean[]): void => {
    const key = mask.map((b) => (b ? '1' : '0')).join('');
    const e = counts.get(key);
    if (e) e.w += 1; else counts.set(key, { mask, w: 1 });
  };
  for (let drawn = 0; drawn + 1 < budget; drawn += 2) {
    let u = random() * total;
    let s = 1;
    while (s < m - 1 && (u -= sizeMass[s - 1]!) > 0) s++;
    const order = Array.from({ length: m }, (_, j) => j);
    for (let i = 0; i < s; i++) { const j = i + Math.floor(random() * (m - i)); [order[i], order[j]] = [order[j]!, order[i]!]; }
    const mask = new Array<boolean>(m).fill(false);
    for (let i = 0; i < s; i++) mask[order[i]!] = true;
    add(mask);
    add(mask.map((b) => !b));
  }
  const entries = [...counts.values()];
  return { masks: entries.map((e) => e.mask), weights: entries.map((e) => e.w), exact: false };
}

/**
 * Kernel SHAP values of x [n_samples, n_features] for one output of any model.
 * @returns values [n_samples, n_features]; baseValues = E_background[f]; gaps = |E[f] + Σφ − f(x)| (0 up to
 *   rounding, efficiency is a constraint of the fit); evaluations = n_background + n_samples · (1 +
 *   n_coalitions · n_background); details.exact tells whether all coalitions were enumerated.
 * @throws Error on shape mismatches, an empty background or weights that do not sum to 1.
 */
export async function kernelShap(model: FittedModel, x: Matrix, options: KernelShapOptions): Promise<AttributionResult> {
  const m = model.nFeatures;
  checkMatrix(x, m, 'Kernel SHAP');
  const bg = options.background;
  checkMatrix(bg.rows, m, 'Kernel SHAP background');
  if (bg.weights.length !== bg.rows.length) throw new Error(`Kernel SHAP: ${bg.weights.length} background weights for ${bg.rows.length} rows`);
  const wsum = bg.weights.reduce((s, v) => s + v, 0);
  if (Math.abs(wsum - 1) > 1e-9) throw new Error(`Kernel SHAP: background weights sum to ${wsum}, not 1`);
  const k = options.output ?? 0;
  const counter = new CountingModel(model, options.batchRows);
  const budget = options.coalitions ?? 2048;
  const coal = m <= 1 ? { masks: [], weights: [], exact: true } : (2 ** m - 2 <= budget ? enumerate(m) : sample(m, budget, options.seed ?? 0));
  const nz = coal.masks.length;
  const nb = bg.rows.length;

  const fBg = await counter.predictOutput(bg.rows, k);
  const base = fBg.reduce((s, v, b) => s + v * bg.weights[b]!, 0);
  const fx = await counter.predictOutput(x, k);

  // Samples per predict call, so that a call stays near batchRows rows.
  const perChunk = Math.max(1, Math.floor((options.batchRows ?? 65_536) / Math.max(1, nz * nb)));
  // The regression's design row of each coalition (the same for every sample): X_j = z_j − z_M.
  const p = m - 1;
  const design = coal.masks.map((mask) => { const zM = mask[m - 1] ? 1 : 0; return { zM, row: mask.slice(0, p).map((on) => (on ? 1 : 0) - zM) }; });
  const values: number[][] = [];
  for (let start = 0; start < x.length; start += perChunk) {
    const chunk = x.slice(start, start + perChunk);
    // Every (sample, coalition, background row) as one row of a dense batch: x_S from the sample, the rest from b.
    const batch = denseZeros(nz > 0 ? chunk.length * nz * nb : 0, m);
    let o = 0;
    for (const xi of chunk) for (const mask of coal.masks) for (const b of bg.rows) for (let j = 0; j < m; j++) batch.data[o++] = mask[j] ? xi[j]! : b[j]!;
    const f = nz > 0 ? await counter.predictOutputDense(batch, k) : new Float64Array(0);
    chunk.forEach((_, c) => {
      const i = start + c;
      const delta = fx[i]! - base;
      if (m === 1) { values.push([delta]); return; }
      // v(z) for each coalition: the background-weighted mean prediction.
      const v = coal.masks.map((_, z) => {
        let s = 0;
        for (let b = 0; b < nb; b++) s += f[(c * nz + z) * nb + b]! * bg.weights[b]!;
        return s;
      });
      // Eliminate φ_M = delta − Σ_{j<M} φ_j: regress y = v − base − z_M·delta on X_j = z_j − z_M.
      const xtx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
      const xty = new Array<number>(p).fill(0);
      design.forEach(({ zM, row }, z) => {
        const y = v[z]! - base - zM * delta;
        const w = coal.weights[z]!;
        for (let a = 0; a < p; a++) {
          if (row[a] === 0) continue;
          xty[a]! += w * row[a]! * y;
          for (let bb = 0; bb < p; bb++) xtx[a]![bb]! += w * row[a]! * row[bb]!;
        }
      });
      const beta = solve(xtx, xty);
      values.push([...beta, delta - beta.reduce((s, q) => s + q, 0)]);
    });
  }
  const gaps = values.map((phi, i) => Math.abs(base + phi.reduce((s, q) => s + q, 0) - fx[i]!));
  return {
    method: 'kernel_shap', output: k, outputName: model.outputs[k] ?? `output${k}`, features: featureNames(options.features, m),
    values, baseValues: x.map(() => base), predictions: fx, gaps, evaluations: counter.evaluations,
    details: { exact: coal.exact, coalitions: nz, background: nb, predictCalls: counter.calls },
  };
}
