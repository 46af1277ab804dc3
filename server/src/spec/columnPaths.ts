/**
 * Which values of a spec name a column, so that checks, completion and hover agree on them.
 */

/**
 * What the value at `path` names: `'column'` a CSV column (target, filter, sort, lags column and group_by),
 * `'feature'` a CSV column or one a feature step makes (features, standardize columns), `'source'` the data
 * file; undefined for anything else.
 */
export function valueRole(path: readonly (string | number)[]): 'column' | 'feature' | 'source' | undefined {
  const p = path.map((s) => (typeof s === 'number' ? '#' : s)).join('.');
  switch (p) {
    case 'data.source': return 'source';
    case 'data.target': case 'data.filter.#.column': case 'data.sort.column':
    case 'preprocessing.#.lags.column': case 'preprocessing.#.lags.group_by':
      return 'column';
    case 'data.features.#': case 'preprocessing.#.standardize.columns.#':
      return 'feature';
    default: return undefined;
  }
}
