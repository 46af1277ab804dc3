import { describe, expect, it } from 'vitest';
import { mae, mse, r2, regressionMetrics, rmse } from '../../../server/src/models/metrics';

describe('regression metrics on hand cases', () => {
  const y = [1, 2, 3, 4];
  const p = [1, 3, 2, 6]; // errors 0, 1, -1, 2

  it('MSE, RMSE, MAE', () => {
    expect(mse(y, p)).toBe(6 / 4);
    expect(rmse(y, p)).toBeCloseTo(Math.sqrt(1.5), 12);
    expect(mae(y, p)).toBe(4 / 4);
  });

  it('R² = 1 − SSE/SST around the mean of the truth', () => {
    // mean 2.5, SST = 2.25 + 0.25 + 0.25 + 2.25 = 5, SSE = 6
    expect(r2(y, p)).toBeCloseTo(1 - 6 / 5, 12);
    expect(r2(y, y)).toBe(1);
    expect(r2(y, [2.5, 2.5, 2.5, 2.5])).toBe(0);
  });

  it('constant truth: R² is 1 for a perfect fit, else 0', () => {
    expect(r2([3, 3], [3, 3])).toBe(1);
    expect(r2([3, 3], [2, 4])).toBe(0);
  });

  it('all three at once, and errors on bad shapes', () => {
    const m = regressionMetrics(y, p);
    expect(m.rmse).toBeCloseTo(Math.sqrt(1.5), 12);
    expect(m.mae).toBe(1);
    expect(m.r2).toBeCloseTo(-0.2, 12);
    expect(() => rmse([1, 2], [1])).toThrow(/2 true values but 1 predictions/);
    expect(() => mae([], [])).toThrow(/no samples/);
  });
});
