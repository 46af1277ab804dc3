/**
 * The target column: missing-value checks and, for classification, label encoding (classes learned from the
 * training rows, in the models' order of ../../models/labels.ts: sorted as texts, or by value when every class is a
 * number, as scikit-learn's LabelEncoder; class k is `classes[k]`).
 *
 * For model families (classification): `fitLabelEncoder` + `encodeTarget` turn a categorical target into class
 * indices 0 … n_classes − 1 and back (`classes[k]`); `PreparedFrame.target.classes` carries them.
 */
import { encodeLabels as modelLabels } from '../../models/labels';
import { DataError } from '../errors';
import { cellText, getColumn, rowCount, type Frame } from './frame';

/** @throws DataError at the row and column of the first missing target cell. */
export function assertTargetComplete(frame: Frame, target: string): void {
  const col = getColumn(frame, target);
  const n = rowCount(frame);
  for (let i = 0; i < n; i++) {
    if (cellText(col, i) === undefined) {
      throw new DataError(`the target is missing in this row; drop such rows with a drop_missing step on '${target}'`, { file: frame.file, line: frame.lines[i], column: target });
    }
  }
}

/** The sorted distinct target texts of the training rows ([n_classes]). @throws DataError when fewer than 2. */
export function fitLabelEncoder(frame: Frame, target: string, train: ArrayLike<number>): { classes: string[] } {
  const col = getColumn(frame, target);
  const seen = new Set<string>();
  for (let i = 0; i < train.length; i++) { const t = cellText(col, train[i]!); if (t !== undefined) seen.add(t); }
  const classes = seen.size >= 2 ? modelLabels([...seen]).classes : [...seen];
  if (classes.length < 2) throw new DataError(`classification needs at least 2 classes in the training rows; found ${classes.length}`, { file: frame.file, column: target });
  return { classes };
}

/**
 * Class indices [n_rows] of the target under `classes`.
 * @throws DataError at the row and column of a missing cell or of a class not among `classes` (not seen in training).
 */
export function encodeTarget(frame: Frame, target: string, classes: readonly string[]): Int32Array {
  const col = getColumn(frame, target);
  const index = new Map(classes.map((c, k) => [c, k]));
  const n = rowCount(frame);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = cellText(col, i);
    const k = t === undefined ? undefined : index.get(t);
    if (k === undefined) {
      throw new DataError(t === undefined ? 'the target is missing in this row' : `the class '${t}' does not occur in the training rows (classes: ${classes.join(', ')}); a stratified split keeps every class in training`,
        { file: frame.file, line: frame.lines[i], column: target });
    }
    y[i] = k;
  }
  return y;
}

/** Numeric target values [n_rows]. @throws DataError at a missing cell or a categorical target. */
export function numericTarget(frame: Frame, target: string): Float64Array {
  const col = getColumn(frame, target);
  if (col.kind === 'categorical') throw new DataError('regression needs a numeric target; this column holds texts (use task: classification)', { file: frame.file, column: target });
  assertTargetComplete(frame, target);
  return col.values instanceof Float64Array ? col.values : Float64Array.from(col.values);
}
