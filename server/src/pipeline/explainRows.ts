/**
 * The rows the explanation methods may use (the `xaiPipelines.explain.maxRows` setting): a split with more rows
 * is thinned to `max` evenly spaced rows, which is deterministic and keeps a time series' order.
 */
import { subset, type Dataset } from '../data/dataset';

/**
 * The indices of at most `max` evenly spaced rows of `n` (row ⌊i·n/max⌋ for i = 0…max−1); all rows when n ≤ max
 * or max is undefined.
 * @throws RangeError when max is not a positive integer.
 */
export function evenlySpaced(n: number, max?: number): number[] {
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) throw new RangeError(`explain.maxRows must be a positive integer, got ${max}`);
  if (max === undefined || n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.floor((i * n) / max));
}

/** `d` with at most `max` rows ([≤max, n_features]), evenly spaced; `d` itself when it is small enough. */
export function capRows(d: Dataset, max?: number): Dataset {
  return max === undefined || d.x.length <= max ? d : subset(d, evenlySpaced(d.x.length, max));
}
