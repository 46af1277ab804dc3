/**
 * Regression metrics, in the target's units (R² is unitless).
 */
import type { ClassificationMetrics, RegressionMetrics } from '../../../protocol/protocol';

function check(yTrue: readonly number[], yPred: readonly number[]): void {
  if (yTrue.length !== yPred.length) throw new Error(`metric: ${yTrue.length} true values but ${yPred.length} predictions`);
  if (yTrue.length === 0) throw new Error('metric: no samples');
}

/** Mean squared error: mean((y − ŷ)²). Shapes [n], [n]. @throws Error on length mismatch or n = 0. */
export function mse(yTrue: readonly number[], yPred: readonly number[]): number {
  check(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (yTrue[i]! - yPred[i]!) ** 2;
  return s / yTrue.length;
}

/** Root mean squared error: √MSE, in the target's units. */
export function rmse(yTrue: readonly number[], yPred: readonly number[]): number {
  return Math.sqrt(mse(yTrue, yPred));
}

/** Mean absolute error: mean(|y − ŷ|), in the target's units. */
export function mae(yTrue: readonly number[], yPred: readonly number[]): number {
  check(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i]! - yPred[i]!);
  return s / yTrue.length;
}

/**
 * Coefficient of determination R² = 1 − SSE/SST with SST around the mean of yTrue. Negative when the
 * predictions are worse than that mean; when yTrue is constant (SST = 0) it is 1 for a perfect fit, else −∞
 * would be meaningless, so 0 is returned (scikit-learn's convention).
 */
export function r2(yTrue: readonly number[], yPred: readonly number[]): number {
  check(yTrue, yPred);
  const mean = yTrue.reduce((s, v) => s + v, 0) / yTrue.length;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < yTrue.length; i++) {
    sse += (yTrue[i]! - yPred[i]!) ** 2;
    sst += (yTrue[i]! - mean) ** 2;
  }
  if (sst === 0) return sse === 0 ? 1 : 0;
  return 1 - sse / sst;
}

/** RMSE, MAE and R² of predictions [n] against true values [n]. */
export function regressionMetrics(yTrue: readonly number[], yPred: readonly number[]): RegressionMetrics {
  return { rmse: rmse(yTrue, yPred), mae: mae(yTrue, yPred), r2: r2(yTrue, yPred) };
}

export type MetricName = 'rmse' | 'mae' | 'mse';

/** The metric function of a name (lower is better for all three). */
export function metricFunction(name: MetricName): (yTrue: readonly number[], yPred: readonly number[]) => number {
  switch (name) {
    case 'rmse': return rmse;
    case 'mae': return mae;
    case 'mse': return mse;
  }
}

/**
 * Mean absolute percentage error, as a FRACTION (0.1 = 10 %), scikit-learn's definition: mean(|y − ŷ| / max(|y|, ε))
 * with ε = 2.22e-16, so a zero target gives a huge but finite term.
 */
export function mape(yTrue: readonly number[], yPred: readonly number[]): number {
  check(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i]! - yPred[i]!) / Math.max(Math.abs(yTrue[i]!), 2.220446049250313e-16);
  return s / yTrue.length;
}

/** The predicted class of each probability row: the first index of the largest value. Shape [n, k] → [n]. */
export function argmaxRows(p: readonly (readonly number[])[]): number[] {
  return p.map((row) => { let b = 0; for (let k = 1; k < row.length; k++) if (row[k]! > row[b]!) b = k; return b; });
}

/** Confusion matrix [k][k]: entry [i][j] counts rows of true class i predicted as j. Labels are indices 0 … k−1. */
export function confusionMatrix(yTrue: readonly number[], yPred: readonly number[], nClasses: number): number[][] {
  check(yTrue, yPred);
  const m = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  yTrue.forEach((t, i) => { m[t]![yPred[i]!]! += 1; });
  return m;
}

/**
 * Area under the ROC curve of scores for the positive rows, by the Mann–Whitney U statistic with average ranks for
 * ties (equal to the trapezoidal ROC area). @returns null when either class is absent.
 */
export function rocAuc(positive: readonly boolean[], score: readonly number[]): number | null {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a]! - score[b]!);
  const rank = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && score[order[j + 1]!] === score[order[i]!]) j++;
    for (let k = i; k <= j; k++) rank[order[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let nPos = 0;
  let sumRanks = 0;
  positive.forEach((p, i) => { if (p) { nPos++; sumRanks += rank[i]!; } });
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  return (sumRanks - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * Classification metrics of probabilities p [n, k] against true class indices [n].
 * ROC AUC: binary on p[:, 1]; k > 2 the macro mean of one-vs-rest AUCs (scikit-learn's `multi_class="ovr"`).
 * Precision of a class never predicted counts 0 (scikit-learn's `zero_division=0`).
 * @param predicted optional class per row when it is not the argmax of p (a linear SVM's decision function).
 */
export function classificationMetrics(yTrue: readonly number[], p: readonly (readonly number[])[], classes: readonly string[], predicted?: readonly number[]): ClassificationMetrics {
  const k = classes.length;
  if (p.length !== yTrue.length) throw new Error(`metric: ${yTrue.length} true values but ${p.length} predictions`);
  if (yTrue.length === 0) throw new Error('metric: no samples');
  const yPred = predicted ? [...predicted] : argmaxRows(p);
  const confusion = confusionMatrix(yTrue, yPred, k);
  const n = yTrue.length;
  const correct = confusion.reduce((s, row, i) => s + row[i]!, 0);
  const precisions: number[] = [];
  const recalls: number[] = [];
  const f1s: number[] = [];
  const presentRecalls: number[] = [];
  for (let c = 0; c < k; c++) {
    const tp = confusion[c]![c]!;
    const predictedC = confusion.reduce((s, row) => s + row[c]!, 0);
    const actualC = confusion[c]!.reduce((s, v) => s + v, 0);
    const prec = predictedC ? tp / predictedC : 0;
    const rec = actualC ? tp / actualC : 0;
    precisions.push(prec); recalls.push(rec);
    f1s.push(prec + rec > 0 ? (2 * prec * rec) / (prec + rec) : 0);
    if (actualC) presentRecalls.push(rec);
  }
  const mean = (v: number[]): number => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0);
  let auc: number | null;
  if (k === 2) auc = rocAuc(yTrue.map((t) => t === 1), p.map((r) => r[1]!));
  else {
    const per = Array.from({ length: k }, (_, c) => rocAuc(yTrue.map((t) => t === c), p.map((r) => r[c]!)));
    auc = per.some((a) => a === null) ? null : mean(per as number[]);
  }
  let ll = 0;
  yTrue.forEach((t, i) => {
    const row = p[i]!;
    const z = row.reduce((s, v) => s + Math.min(Math.max(v, 1e-15), 1 - 1e-15), 0);
    ll -= Math.log(Math.min(Math.max(row[t]!, 1e-15), 1 - 1e-15) / z);
  });
  return {
    accuracy: correct / n, balancedAccuracy: mean(presentRecalls), precision: mean(precisions), recall: mean(recalls), f1: mean(f1s),
    rocAuc: auc, logLoss: ll / n, confusion, classes: [...classes],
  };
}

/** The naive classification baseline: always the training majority class (lowest index among ties). */
export function majorityClass(yTrain: readonly number[], nClasses: number): number {
  const counts = new Array<number>(nClasses).fill(0);
  yTrain.forEach((c) => { counts[c] = counts[c]! + 1; });
  return counts.indexOf(Math.max(...counts));
}

/**
 * Probabilities [n, k] of the majority-class baseline: the training class frequencies for every row, so that
 * its argmax is the majority class and its log loss is the prior's.
 */
export function majorityBaseline(yTrain: readonly number[], nClasses: number, n: number): number[][] {
  const counts = new Array<number>(nClasses).fill(0);
  yTrain.forEach((c) => { counts[c] = counts[c]! + 1; });
  const prior = counts.map((c) => c / yTrain.length);
  return Array.from({ length: n }, () => [...prior]);
}

/** The mean baseline for regression: the training mean for each of n rows. */
export function meanBaseline(yTrain: readonly number[], n: number): number[] {
  if (yTrain.length === 0) throw new Error('baseline: no training rows');
  const m = yTrain.reduce((a, b) => a + b, 0) / yTrain.length;
  return new Array<number>(n).fill(m);
}

/** The last-value baseline for a time series: each row's previous target (its lag 1), given as [n]. */
export function lastValueBaseline(lag1: readonly number[]): number[] {
  return [...lag1];
}
