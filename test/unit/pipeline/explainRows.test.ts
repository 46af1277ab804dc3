/**
 * The rows the explanations may use (xaiPipelines.explain.maxRows): evenly spaced, deterministic, in order.
 */
import { describe, expect, it } from 'vitest';
import { capRows, evenlySpaced } from '../../../server/src/pipeline/explainRows';

describe('explanation rows', () => {
  it('keeps every row when there are at most max, else max evenly spaced rows in order', () => {
    expect(evenlySpaced(5)).toEqual([0, 1, 2, 3, 4]);
    expect(evenlySpaced(5, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(evenlySpaced(23, 10)).toEqual([0, 2, 4, 6, 9, 11, 13, 16, 18, 20]);
    expect(evenlySpaced(10, 3)).toEqual([0, 3, 6]);
  });

  it('refuses a max that is not a positive integer', () => {
    expect(() => evenlySpaced(10, 0)).toThrow('explain.maxRows must be a positive integer, got 0');
    expect(() => evenlySpaced(10, 2.5)).toThrow(RangeError);
  });

  it('caps a dataset’s x, y and lines together', () => {
    const d = { features: ['a'], target: 't', x: [[1], [2], [3], [4]], y: [10, 20, 30, 40], lines: [2, 3, 4, 5] };
    expect(capRows(d, 2)).toEqual({ features: ['a'], target: 't', x: [[1], [3]], y: [10, 30], lines: [2, 4] });
    expect(capRows(d, 4)).toBe(d);
    expect(capRows(d)).toBe(d);
  });
});
