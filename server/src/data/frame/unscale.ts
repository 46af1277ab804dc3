/**
 * The model's inputs back in the data's units: a saved pipeline's fitted scaling (standardize, min_max) undone, so
 * that the Decision Path panel shows and filters a sample's values as the CSV holds them, not as z-scores.
 */
import type { SavedDataPipeline } from './recipe';

/** Significant digits kept when a value is unscaled: enough for any CSV number, and clear of the rounding error. */
const DIGITS = 12;

/**
 * Feature rows [n_samples, n_features] on the model's scale → the same rows in the data's units.
 *
 * The pipeline's fitted standardize (x·std + mean) and min_max (x·(max − min) + min; a constant column gives its
 * min) steps are undone for the features they scaled, last step first; other features pass unchanged. Values are
 * rounded to 12 significant digits, so a CSV's `39.1` comes back as 39.1 exactly. What imputation and clipping
 * changed stays changed: a missing cell shows as its imputed value, as the model saw it.
 * @param saved the run's saved data pipeline (`data-pipeline.json`)
 * @param x rows with `saved.features`' columns, in that order
 * @returns new rows; `x` is not modified
 */
export function unscaleFeatures(saved: SavedDataPipeline, x: readonly (readonly number[])[]): number[][] {
  const inverses = saved.features.map((name) => {
    const undo: ((v: number) => number)[] = [];
    for (let s = saved.fitted.length - 1; s >= 0; s--) {
      const f = saved.fitted[s]!;
      if (f.step === 'standardize' && f.params[name]) {
        const { mean, std } = f.params[name];
        undo.push((v) => v * std + mean);
      } else if (f.step === 'min_max' && f.params[name]) {
        const { min, max } = f.params[name];
        undo.push((v) => (max > min ? v * (max - min) + min : min));
      }
    }
    return undo;
  });
  return x.map((row) => row.map((v, j) => {
    const undo = inverses[j];
    if (!undo?.length || !Number.isFinite(v)) return v;
    let out = v;
    for (const f of undo) out = f(out);
    return Number(out.toPrecision(DIGITS));
  }));
}
