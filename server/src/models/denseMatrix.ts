/**
 * Dense row-major matrices of float64: the explainers' hot path hands models one contiguous buffer per batch
 * instead of an array of row arrays (no allocation per row, sequential memory, zero-copy batches by `subarray`).
 */

/** A dense row-major matrix [rows, cols]: element (i, j) is `data[i * cols + j]`. */
export interface DenseMatrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** A zero-filled [rows, cols] matrix. @throws Error for a negative or fractional size. */
export function denseZeros(rows: number, cols: number): DenseMatrix {
  if (!(Number.isInteger(rows) && rows >= 0 && Number.isInteger(cols) && cols >= 0)) throw new Error(`dense matrix: bad size ${rows} × ${cols}`);
  return { data: new Float64Array(rows * cols), rows, cols };
}

/**
 * Packs rows [n, cols] into a dense matrix (values copied as they are).
 * @param who prefix of the error message, e.g. the model family.
 * @throws Error `${who}: row i has m values, expected cols` for a row of another width.
 */
export function denseFromRows(x: readonly (readonly number[])[], cols: number, who: string): DenseMatrix {
  const n = x.length;
  const data = new Float64Array(n * cols);
  for (let i = 0; i < n; i++) {
    const row = x[i]!;
    if (row.length !== cols) throw new Error(`${who}: row ${i} has ${row.length} values, expected ${cols}`);
    const o = i * cols;
    for (let j = 0; j < cols; j++) data[o + j] = row[j]!;
  }
  return { data, rows: n, cols };
}

/** Unpacks a dense matrix into rows [rows, cols] of plain numbers. */
export function rowsOfDense(m: DenseMatrix): number[][] {
  const out = new Array<number[]>(m.rows);
  const { data, cols } = m;
  for (let i = 0; i < m.rows; i++) {
    const row = new Array<number>(cols);
    const o = i * cols;
    for (let j = 0; j < cols; j++) row[j] = data[o + j]!;
    out[i] = row;
  }
  return out;
}

/** Rows [start, end) of m as a view that shares its buffer (no copy). */
export function denseRowSlice(m: DenseMatrix, start: number, end: number): DenseMatrix {
  return { data: m.data.subarray(start * m.cols, end * m.cols), rows: end - start, cols: m.cols };
}

/** Column j of m [rows, cols] → [rows] as plain numbers. @throws Error when j is out of range. */
export function denseColumn(m: DenseMatrix, j: number): number[] {
  if (!(Number.isInteger(j) && j >= 0 && j < m.cols)) throw new Error(`dense matrix: no column ${j}; it has ${m.cols}`);
  const out = new Array<number>(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + j]!;
  return out;
}

/** True for an object shaped as a `DenseMatrix` (a Float64Array `data` of rows · cols values). */
export function isDenseMatrix(x: unknown): x is DenseMatrix {
  const m = x as Partial<DenseMatrix> | null;
  return typeof m === 'object' && m !== null && m.data instanceof Float64Array && typeof m.rows === 'number' && typeof m.cols === 'number'
    && m.data.length === m.rows * m.cols;
}
