/**
 * Row splits: random (seeded), stratified (per class, seeded), chronological (in the frame's order), each with an
 * optional test part; and k-fold for evaluating small data.
 */
import { DataError } from '../errors';
import { permutation, seededRandom } from '../random';
import type { DataStepAccount } from './account';

export type SplitMethod = 'random' | 'stratified' | 'chronological';

export interface SplitParts {
  /** Row indices of each part, ascending. */
  train: number[];
  validation: number[];
  test: number[];
}

function sizes(n: number, validation: number, test: number): [number, number] {
  const nv = validation > 0 ? Math.max(1, Math.round(n * validation)) : 0;
  const nt = test > 0 ? Math.max(1, Math.round(n * test)) : 0;
  return [nv, nt];
}

/**
 * Splits rows 0 … n−1. `chronological`: training first, then validation, then test (no look-ahead);
 * `random`: a seeded permutation (Mulberry32 + Fisher–Yates) cut into parts; `stratified`: the same within each
 * class of `classes` ([n] class codes), so every part keeps the class shares (within rounding).
 * @throws DataError when fractions are outside [0, 1) or leave no training row, or stratified has no classes.
 */
export function splitFrameRows(
  n: number, opts: { method: SplitMethod; validation: number; test?: number; seed: number; classes?: ArrayLike<number> }, file: string,
): { parts: SplitParts; account: DataStepAccount } {
  const test = opts.test ?? 0;
  if (!(opts.validation > 0 && opts.validation < 1) || !(test >= 0 && test < 1) || opts.validation + test >= 1) {
    throw new DataError(`split: validation (${opts.validation}) and test (${test}) must be fractions in (0, 1) with a sum below 1`, { file });
  }
  const parts: SplitParts = { train: [], validation: [], test: [] };
  const cut = (rows: number[]) => {
    const [nv, nt] = sizes(rows.length, opts.validation, test);
    const nTrain = rows.length - nv - nt;
    parts.train.push(...rows.slice(0, nTrain));
    parts.validation.push(...rows.slice(nTrain, nTrain + nv));
    parts.test.push(...rows.slice(nTrain + nv));
  };
  const random = seededRandom(opts.seed);
  if (opts.method === 'chronological') cut(Array.from({ length: n }, (_, i) => i));
  else if (opts.method === 'random') cut(permutation(n, random));
  else {
    if (!opts.classes) throw new DataError('split: stratified needs a categorical target', { file });
    const byClass = new Map<number, number[]>();
    for (let i = 0; i < n; i++) { const c = opts.classes[i]!; byClass.set(c, [...(byClass.get(c) ?? []), i]); }
    for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
      const rows = byClass.get(c)!;
      cut(permutation(rows.length, random).map((k) => rows[k]!));
    }
  }
  for (const p of [parts.train, parts.validation, parts.test]) p.sort((a, b) => a - b);
  if (parts.train.length === 0) throw new DataError(`split: ${n} rows leave none for training`, { file });
  const how = opts.method === 'chronological' ? 'chronological (last rows to validation, then test)' : `${opts.method} (seed ${opts.seed})`;
  return {
    parts,
    account: {
      step: 'split', rowsIn: n, rowsOut: n,
      detail: `${how}: ${parts.train.length} training, ${parts.validation.length} validation${test > 0 ? `, ${parts.test.length} test` : ''}`,
    },
  };
}

/**
 * k-fold cross-validation folds over rows 0 … n−1, deterministic from the seed (scripts/reference/kfold.py
 * reproduces them): a seeded permutation (Mulberry32 + Fisher–Yates, ../random.ts) dealt round-robin into k folds,
 * the i-th row of the permutation to fold i mod k. Stratified when `classes` ([n] class codes) are given: the
 * permutation's rows are taken class by class (ascending code), each class in permutation order, and the same
 * round-robin continues across classes, so every fold's class counts and sizes differ by at most one. Returns,
 * per fold, its held-out rows and the other rows, ascending (scikit-learn's KFold/StratifiedKFold in spirit, not
 * in their exact assignment).
 * @throws DataError when k is not an integer from 2 to n.
 */
export function kFold(n: number, k: number, seed: number, classes?: ArrayLike<number>, file = ''): { train: number[]; validation: number[] }[] {
  if (!Number.isInteger(k) || k < 2 || k > n) throw new DataError(`split: k must be an integer from 2 to the ${n} rows, not ${k}`, { file });
  const order = permutation(n, seededRandom(seed));
  const fold = new Int32Array(n);
  if (classes) {
    const codes = [...new Set(Array.from(order, (i) => classes[i]!))].sort((a, b) => a - b);
    let dealt = 0;
    for (const c of codes) for (const i of order) if (classes[i] === c) fold[i] = dealt++ % k;
  } else order.forEach((i, r) => { fold[i] = r % k; });
  return Array.from({ length: k }, (_, f) => {
    const train: number[] = [], validation: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? validation : train).push(i);
    return { train, validation };
  });
}
