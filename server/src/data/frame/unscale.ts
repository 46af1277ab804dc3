/**
 * The model's inputs back in the data's units, for what people read: the Decision Path panel's raw values and row
 * filter, and the report's partial-dependence grids, SHAP rows and decision-path thresholds. A pipeline's fitted
 * scaling (the row path's `standardize`, a columnar pipeline's standardize and min_max) is undone per feature.
 */
import type { FittedPreprocessing } from '../standardize';
import type { SavedDataPipeline } from './recipe';

/** One feature's map from the model's scale to the data's units. */
export type ToDataUnits = (v: number) => number;

/** Significant digits kept when a value is unscaled: enough for any CSV number, and clear of the rounding error. */
const DIGITS = 12;
const identity: ToDataUnits = (v) => v;

/** The inverses of a columnar pipeline's scaling steps for one feature, last step first. */
function pipelineInverses(saved: SavedDataPipeline | undefined, name: string): ToDataUnits[] {
  const undo: ToDataUnits[] = [];
  for (let s = (saved?.fitted.length ?? 0) - 1; s >= 0; s--) {
    const f = saved!.fitted[s]!;
    if (f.step === 'standardize' && f.params[name]) {
      const { mean, std } = f.params[name];
      undo.push((v) => v * std + mean);
    } else if (f.step === 'min_max' && f.params[name]) {
      const { min, max } = f.params[name];
      undo.push((v) => (max > min ? v * (max - min) + min : min));
    }
  }
  return undo;
}

function composed(undo: readonly ToDataUnits[]): ToDataUnits {
  if (!undo.length) return identity;
  return (v) => {
    if (!Number.isFinite(v)) return v;
    let out = v;
    for (const f of undo) out = f(out);
    return Number(out.toPrecision(DIGITS));
  };
}

/**
 * Per feature of `fitted.features`: the model's input → the data's units.
 *
 * Undoes the row path's fitted standardize (`fitted`, x·std + mean), then a columnar pipeline's standardize
 * (x·std + mean) and min_max (x·(max − min) + min; a constant column gives its min) steps, last step first. Features
 * nothing scaled map to themselves. Unscaled values are rounded to 12 significant digits, so a CSV's `39.1` comes
 * back as 39.1 exactly; non-finite values pass through. Each map is increasing, so a threshold test `x ≤ t` reads
 * the same in either unit. What imputation and clipping changed stays changed.
 * @param fitted the run's fitted preprocessing (`preprocessing.json`)
 * @param saved the run's columnar data pipeline (`data-pipeline.json`), when it has one
 */
export function dataUnits(fitted: FittedPreprocessing, saved?: SavedDataPipeline): ToDataUnits[] {
  return fitted.features.map((name) => {
    const p = fitted.standardize.features[name];
    return composed([...(p ? [(v: number) => v * p.std + p.mean] : []), ...pipelineInverses(saved, name)]);
  });
}

/**
 * Feature rows [n_samples, n_features] after a columnar pipeline → the same rows in the data's units: its fitted
 * standardize and min_max steps undone (see `dataUnits`).
 * @param saved the run's saved data pipeline (`data-pipeline.json`)
 * @param x rows with `saved.features`' columns, in that order
 * @returns new rows; `x` is not modified
 */
export function unscaleFeatures(saved: SavedDataPipeline, x: readonly (readonly number[])[]): number[][] {
  return inDataUnits(saved.features.map((name) => composed(pipelineInverses(saved, name))), x);
}

/**
 * Rows [n_samples, n_features] mapped column by column through `units` (from `dataUnits`); a column without a map
 * passes unchanged.
 * @returns new rows; `x` is not modified
 */
export function inDataUnits(units: readonly ToDataUnits[], x: readonly (readonly number[])[]): number[][] {
  return x.map((row) => row.map((v, j) => (units[j] ?? identity)(v)));
}
