/**
 * Loads an Apache Parquet file into a Frame with `hyparquet` (pure JavaScript, no native code): column chunks are
 * decoded one row group at a time and fed to the same column builders as the CSV loader, so missing values, type
 * inference, declared types and errors work alike. Parquet nulls are missing; texts equal to a missing-value token
 * are missing too; timestamps and dates become date columns (UTC ms); booleans boolean columns; INT64 numbers.
 * Parquet has no lines: a row's "line" in errors is its 1-based row number.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { DataError } from '../errors';
import type { Column, Frame } from './frame';
import { ColumnBuilder, finishColumn } from './infer';
import { DEFAULT_MISSING, type LoadInfo, type LoadOptions } from './load';

/**
 * Reads a Parquet file (only `missing`, `types`, `dateFormats` and `columns` of the options apply).
 * @throws DataError when the file cannot be read or is not Parquet, for an unknown column in `options.columns`,
 *   and the type errors of infer.ts.
 */
export async function loadParquetFrame(path: string, options: LoadOptions = {}): Promise<{ frame: Frame; info: LoadInfo }> {
  let file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    file = await asyncBufferFromFile(path);
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(code ? `cannot read the data file: ${code}` : `not a Parquet file: ${(e as Error).message}`, { file: path });
  }
  const names = parquetSchema(metadata).children.map((c) => c.element.name);
  for (const c of options.columns ?? []) {
    if (!names.includes(c)) throw new DataError(`no column '${c}'; the columns are ${names.map((x) => `'${x}'`).join(', ')}`, { file: path });
  }
  const keep = options.columns ? names.filter((n) => options.columns!.includes(n)) : names;
  const n = Number(metadata.num_rows);
  const missing = new Set(options.missing ?? DEFAULT_MISSING);
  const builders = new Map(keep.map((name) => [name, new ColumnBuilder(name, options.types?.[name], options.dateFormats?.[name] !== undefined)]));
  const dates = new Set<string>();
  const badValue: { column?: string; row?: number } = {};
  await parquetRead({
    file, metadata, columns: keep, rowEnd: n,
    onChunk: ({ columnName, columnData, rowStart, rowEnd }) => {
      const b = builders.get(columnName);
      if (!b) return;
      for (let k = 0; k < rowEnd - rowStart; k++) {
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
        } else if (badValue.column === undefined) { badValue.column = columnName; badValue.row = row; }
      }
    },
  });
  if (badValue.column !== undefined) {
    throw new DataError('a nested or binary Parquet value: only numbers, texts, booleans and dates can be loaded', { file: path, line: badValue.row! + 1, column: badValue.column });
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
