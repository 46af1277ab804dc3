/**
 * A data source as a Frame, by its extension: Parquet (`.parquet`, `.pq`) through ./parquet.ts, anything else as
 * CSV through ./load.ts. The one entry the pipeline and the saved data pipeline load through.
 */
import type { Frame } from './frame';
import { loadCsvFrame, parseCsvFrame, type LoadInfo, type LoadOptions } from './load';
import { isParquetPath, loadParquetFrameSync } from './parquet';

/**
 * Loads the data file at `path` (its `bytes` when already read) into a Frame of `[n_rows]` columns.
 * @throws DataError (file, line or row number, column) as loadCsvFrame or loadParquetFrameSync.
 */
export function loadDataFrame(path: string, load: LoadOptions = {}, bytes?: Buffer): { frame: Frame; info: LoadInfo } {
  if (isParquetPath(path)) return loadParquetFrameSync(path, load, bytes);
  return bytes ? parseCsvFrame(bytes, path, load) : loadCsvFrame(path, load);
}
