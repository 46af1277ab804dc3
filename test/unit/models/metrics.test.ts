import { describe, expect, it } from 'vitest';
import { classificationMetrics, majorityBaseline, majorityClass, mape, meanBaseline, rocAuc } from '../../../server/src/models/metrics';
import { reference } from './helpers';

describe('classification metrics against scikit-learn.metrics (fixed inputs stored in the fixture)', () => {
  for (const c of reference.metrics.classification as { nClasses: number; yTrue: number[]; probabilities: number[][]; [k: string]: unknown }[]) {
    it(`${c.nClasses} classes: accuracy, balanced accuracy, macro precision/recall/F1, ROC AUC, log loss, confusion matrix`, () => {
      const classes = Array.from({ length: c.nClasses }, (_, k) => `c${k}`);
      const m = classificationMetrics(c.yTrue, c.probabilities, classes);
      for (const key of ['accuracy', 'balancedAccuracy', 'precision', 'recall', 'f1', 'rocAuc', 'logLoss'] as const) {
        expect(m[key], key).toBeCloseTo(c[key] as number, 12);
      }
      expect(m.confusion).toEqual(c.confusion);
    });
  }

  it('MAPE equals mean_absolute_percentage_error (a fraction, not a percentage)', () => {
    const r = reference.metrics.mape;
    expect(mape(r.yTrue, r.yPred)).toBeCloseTo(r.value, 14);
  });

  it('ROC AUC: perfect ranking 1, reversed 0, all tied 0.5, one class only null', () => {
    expect(rocAuc([false, false, true, true], [0.1, 0.2, 0.3, 0.4])).toBe(1);
    expect(rocAuc([true, true, false, false], [0.1, 0.2, 0.3, 0.4])).toBe(0);
    expect(rocAuc([true, false, true, false], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
    expect(rocAuc([true, true], [0.1, 0.2])).toBeNull();
  });

  it('baselines: majority class (lowest index on ties) with prior probabilities; training mean', () => {
    expect(majorityClass([2, 1, 2, 1, 0], 3)).toBe(1);
    const p = majorityBaseline([0, 1, 1, 1], 2, 3);
    expect(p).toEqual([[0.25, 0.75], [0.25, 0.75], [0.25, 0.75]]);
    const m = classificationMetrics([1, 1, 0], p, ['a', 'b']);
    expect(m.accuracy).toBeCloseTo(2 / 3, 15);
    expect(m.rocAuc).toBe(0.5);
    expect(meanBaseline([1, 2, 3, 6], 2)).toEqual([3, 3]);
  });
});
