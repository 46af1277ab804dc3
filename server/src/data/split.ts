/**
 * The split of rows into a training part and a validation part.
 */
import type { StepAccount } from '../../../protocol/protocol';
import type { SplitStep } from '../spec/types';
import { permutation, seededRandom } from './random';

export interface SplitIndices {
  /** Row indices of the training part, in table order. */
  train: number[];
  /** Row indices of the validation part, in table order. */
  validation: number[];
}

/**
 * Splits `n` rows: the validation part has round(n · validation) rows, at least 1, leaving at least 1 for
 * training. `chronological` takes the LAST rows for validation (no look-ahead for time series); `random` takes
 * a seeded random subset (seed from the step, else `defaultSeed`).
 * @throws Error when n < 2 or validation is not in (0, 1).
 */
export function splitRows(n: number, split: SplitStep['split'], defaultSeed: number): { indices: SplitIndices; account: StepAccount } {
  if (!(split.validation > 0 && split.validation < 1)) throw new Error(`split.validation must be between 0 and 1 (exclusive), not ${split.validation}`);
  if (n < 2) throw new Error(`cannot split ${n} row(s) into a training and a validation part: at least 2 are needed`);
  const nValidation = Math.min(n - 1, Math.max(1, Math.round(n * split.validation)));
  let train: number[];
  let validation: number[];
  if (split.method === 'random') {
    const seed = split.seed ?? defaultSeed;
    const order = permutation(n, seededRandom(seed));
    validation = order.slice(0, nValidation).sort((a, b) => a - b);
    const inValidation = new Set(validation);
    train = order.filter((i) => !inValidation.has(i)).sort((a, b) => a - b);
  } else {
    train = Array.from({ length: n - nValidation }, (_, i) => i);
    validation = Array.from({ length: nValidation }, (_, i) => n - nValidation + i);
  }
  const how = split.method === 'random' ? `random (seed ${split.seed ?? defaultSeed})` : 'chronological (last rows to validation)';
  return {
    indices: { train, validation },
    account: { step: 'split', rowsIn: n, rowsOut: n, detail: `${how}: ${train.length} training, ${validation.length} validation` },
  };
}
