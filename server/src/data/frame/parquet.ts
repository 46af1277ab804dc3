/**
 * Loads an Apache Parquet file into a Frame with `hyparquet` (pure JavaScript, no native code): column chunks are
 * decoded one row group at a time and fed to the same column builders as the CSV loader, so missing values, type
 * inference, declared types and errors work alike. Parquet nulls are missing; texts equal to a missing-value token
 * are missing too; timestamps and dates become date columns (UTC ms); booleans boolean columns; INT64 numbers.
 * Parquet has no lines: a row's "line" in errors is its 1-based row number.
 *
 * The read is synchronous (the spec checks and the pipeline are): the file's bytes are read whole, then each flat
 * column chunk is decoded by hyparquet's own `readColumn` (its public `hyparquet/src/*.js` entry points), which is
 * what its asynchronous `parquetRead` runs once a chunk's bytes have arrived.
 */
import { readFileSync } from 'node:fs';
import { parquetMetadata, parquetSchema, type FileMetaData } from 'hyparquet';
import { readColumn } from 'hyparquet/src/column.js';
import { DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { getTreePath, isFlatColumn } from 'hyparquet/src/schema.js';
import { DataError } from '../errors';
import type { Column, Frame } from './frame';
import { ColumnBuilder, finishColumn } from './infer';
import { DEFAULT_MISSING, type LoadInfo, type LoadOptions } from './load';

/** Whether a data source is read as Parquet (by its extension, `.parquet` or `.pq`, any case). */
export function isParquetPath(path: string): boolean {
  return /\.(parquet|pq)$/i.test(path);
}

function readMetadata(path: string, read?: Uint8Array): { bytes: Uint8Array; metadata: FileMetaData } {
  let bytes: Uint8Array;
  try {
    bytes = read ?? readFileSync(path);
  } catch (e) {
    throw new DataError(`cannot read the data file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: path });
  }
  try {
    return { bytes, metadata: parquetMetadata(bytes) };
  } catch (e) {
    throw new DataError(`not a Parquet file: ${(e as Error).message}`, { file: path });
  }
}

/**
 * Reads a Parquet file synchronously into a Frame of `[n_rows]` columns (only `missing`, `types`, `dateFormats`
 * and `columns` of the options apply). `bytes`: the file's content when the caller has read it already.
 * @throws DataError when the file cannot be read or is not Parquet, for an unknown column in `options.columns`, a
 *   nested or binary column (row and column), and the type errors of infer.ts (row number and column).
 */
export function loadParquetFrameSync(path: string, options: LoadOptions = {}, bytes?: Uint8Array): { frame: Frame; info: LoadInfo } {
  const { bytes: data, metadata } = readMetadata(path, bytes);
  const schemaTree = parquetSchema(metadata);
  const names = schemaTree.children.map((c) => c.element.name);
  for (const c of options.columns ?? []) {
    if (!names.includes(c)) throw new DataError(`no column '${c}'; the columns are ${names.map((x) => `'${x}'`).join(', ')}`, { file: path });
  }
  const keep = options.columns ? names.filter((n) => options.columns!.includes(n)) : names;
  const n = Number(metadata.num_rows);
  const missing = new Set(options.missing ?? DEFAULT_MISSING);
  const builders = new Map(keep.map((name) => [name, new ColumnBuilder(name, options.types?.[name], options.dateFormats?.[name] !== undefined)]));
  const dates = new Set<string>();
  const feed = (columnName: string, columnData: ArrayLike<unknown>, rowStart: number): void => {
    const b = builders.get(columnName)!;
    for (let k = 0; k < columnData.length; k++) {
      const row = rowStart + k;
      const v: unknown = columnData[k];
      if (v === null || v === undefined) b.addMissing(row);
      else if (typeof v === 'number') {
        if (Number.isNaN(v)) b.addMissing(row);
        else if (b.wantsNumbers) b.addNumber(row, v, b.hasText ? String(v) : undefined);
        else b.addText(row, String(v), row + 1);
      } else if (typeof v === 'bigint') b.addNumber(row, Number(v), b.hasText ? String(v) : undefined);
      else if (v instanceof Date) { dates.add(columnName); b.addNumber(row, v.getTime(), undefined); }
      else if (typeof v === 'boolean') b.addText(row, v ? 'true' : 'false', row + 1);
      else if (typeof v === 'string') {
        const t = v.trim();
        if (missing.has(t)) b.addMissing(row); else b.addText(row, t, row + 1);
      } else throw new DataError('a nested or binary Parquet value: only numbers, texts, booleans and dates can be loaded', { file: path, line: row + 1, column: columnName });
    }
  };
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const groupRows = Number(group.num_rows);
    for (const chunk of group.columns) {
      const meta = chunk.meta_data;
      const name = meta?.path_in_schema[0];
      if (!meta || name === undefined || !builders.has(name)) continue;
      const schemaPath = getTreePath(schemaTree, meta.path_in_schema);
      if (!isFlatColumn(schemaPath)) throw new DataError('a nested Parquet column: only flat columns of numbers, texts, booleans and dates can be loaded', { file: path, column: name });
      const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
      const end = start + Number(meta.total_compressed_size);
      const view = new DataView(data.buffer, data.byteOffset + start, end - start);
      const decoder = { pathInSchema: meta.path_in_schema, element: schemaPath[schemaPath.length - 1]!.element, schemaPath, ...meta, parsers: DEFAULT_PARSERS };
      let decoded: ReturnType<typeof readColumn>;
      try {
        decoded = readColumn({ view, offset: 0 }, { groupStart, selectStart: 0, selectEnd: groupRows, groupRows }, decoder);
      } catch (e) {
        throw new DataError(`cannot decode the Parquet column: ${(e as Error).message}`, { file: path, column: name });
      }
      let row = groupStart;
      for (const part of decoded.data) { feed(name, part as ArrayLike<unknown>, row); row += part.length; }
    }
    groupStart += groupRows;
  }
  const lines = Int32Array.from({ length: n }, (_, i) => i + 1);
  const columns = keep.map((name): Column => {
    const c = finishColumn(builders.get(name)!, n, lines, path, options);
    return dates.has(name) && c.kind === 'numeric' ? { ...c, kind: 'date' } : c;
  });
  const frame: Frame = { file: path, columns, lines };
  return {
    frame,
    info: {
      delimiter: '', rows: n,
      missing: Object.fromEntries(keep.map((name) => [name, builders.get(name)!.missing])),
      types: Object.fromEntries(columns.map((c) => [c.name, c.kind])),
    },
  };
}

/** As loadParquetFrameSync, as a promise (kept for callers that await). */
export async function loadParquetFrame(path: string, options: LoadOptions = {}): Promise<{ frame: Frame; info: LoadInfo }> {
  return loadParquetFrameSync(path, options);
}
