/**
 * Which values of a spec name a column, so that checks, completion and hover agree on them.
 */

/**
 * What the value at `path` names: `'column'` a CSV column (target, filter, sort, column_types, lags column, any
 * group_by), `'feature'` a CSV column or one a feature step makes (features, a step's column or columns),
 * `'source'` the data file; undefined for anything else.
 */
export function valueRole(path: readonly (string | number)[]): 'column' | 'feature' | 'source' | 'class' | undefined {
  const p = path.map((s) => (typeof s === 'number' ? '#' : s)).join('.');
  switch (p) {
    case 'data.source': return 'source';
    case 'data.target': case 'data.filter.#.column': case 'data.sort.column': case 'data.column_types.#.column':
    case 'preprocessing.#.lags.column':
      return 'column';
    case 'data.features.#': case 'explanation.#.partial_dependence.features.#':
      return 'feature';
    default:
      // Any step's group_by names a CSV column; its column and columns may also name a column a step made.
      if (/^preprocessing\.#\.\w+\.group_by$/.test(p)) return 'column';
      if (/^preprocessing\.#\.\w+\.(column|columns\.#)$/.test(p)) return 'feature';
      // The class an explainer explains: a value of the target column.
      if (/^explanation\.#\.\w+\.output$/.test(p)) return 'class';
      return undefined;
  }
}
