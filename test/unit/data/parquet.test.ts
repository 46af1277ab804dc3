import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../../server/src/data/errors';
import { cellText, getColumn, type Column } from '../../../server/src/data/frame/frame';
import { parseCsvFrame } from '../../../server/src/data/frame/load';
import { loadParquetFrame } from '../../../server/src/data/frame/parquet';
import { prepareFrame, type Recipe } from '../../../server/src/data/frame/recipe';

const dir = mkdtempSync(join(tmpdir(), 'xai-parquet-'));
const texts = (c: Column, n: number) => Array.from({ length: n }, (_, i) => cellText(c, i) ?? null);

function write(name: string, columnData: Parameters<typeof parquetWriteBuffer>[0]['columnData']): string {
  const path = join(dir, name);
  writeFileSync(path, new Uint8Array(parquetWriteBuffer({ columnData })));
  return path;
}

describe('Parquet loading (hyparquet)', () => {
  it('reads nulls and missing-value tokens as missing; numbers, texts, booleans and timestamps typed', async () => {
    const path = write('t.parquet', [
      { name: 'name', data: ['a', null, 'NA', 'b'], type: 'STRING' },
      { name: 'v', data: [1.5, null, 3, 4], type: 'DOUBLE' },
      { name: 'n', data: [1n, 2n, 3n, 4n], type: 'INT64' },
      { name: 'flag', data: [true, false, null, true], type: 'BOOLEAN' },
      { name: 'when', data: [new Date(Date.UTC(2020, 0, 1)), new Date(Date.UTC(2020, 0, 2)), null, new Date(Date.UTC(2020, 0, 4))], type: 'TIMESTAMP' },
    ]);
    const { frame, info } = await loadParquetFrame(path);
    expect(info.types).toEqual({ name: 'categorical', v: 'numeric', n: 'numeric', flag: 'boolean', when: 'date' });
    expect(info.missing).toEqual({ name: 2, v: 1, n: 0, flag: 1, when: 1 });
    expect(texts(getColumn(frame, 'name'), 4)).toEqual(['a', null, null, 'b']);
    expect([...(getColumn(frame, 'n') as { values: Float64Array }).values]).toEqual([1, 2, 3, 4]);
    expect(texts(getColumn(frame, 'when'), 4)).toEqual(['2020-01-01', '2020-01-02', null, '2020-01-04']);
    const e = await loadParquetFrame(path, { types: { name: 'numeric' } }).catch((x: unknown) => x) as DataError;
    expect([e.line, e.column, e.message]).toEqual([1, 'name', `${path} (line 1, column 'name'): 'a' is not a number`]);
    await expect(loadParquetFrame(join(dir, 'missing.parquet'))).rejects.toThrow(/ENOENT/);
    writeFileSync(join(dir, 'not.parquet'), 'a,b\n1,2\n');
    await expect(loadParquetFrame(join(dir, 'not.parquet'))).rejects.toThrow(/not a Parquet file/);
  });

  it('penguins as Parquet prepare to the same fitted statistics as the CSV', async () => {
    const csv = join(__dirname, '../../../examples/data/penguins.csv');
    const { frame, info } = parseCsvFrame(readFileSync(csv), csv);
    const path = write('penguins.parquet', frame.columns.map((c) => (c.kind === 'categorical'
      ? { name: c.name, data: Array.from(c.codes, (k) => (k < 0 ? null : c.categories[k]!)), type: 'STRING' as const }
      : { name: c.name, data: Array.from(c.values, (v) => (Number.isNaN(v) ? null : v)), type: 'DOUBLE' as const })));
    const pq = await loadParquetFrame(path);
    expect(pq.info.types).toEqual(info.types);
    const recipe: Recipe = { target: 'Species', task: 'classification', seed: 42, steps: [{ split: { method: 'stratified', validation: 0.2 } }, { impute: { strategy: 'mean' } }, { one_hot: {} }, { standardize: {} }] };
    const a = prepareFrame(frame, recipe, info);
    const b = prepareFrame(pq.frame, recipe, pq.info);
    expect(b.saved.fitted).toEqual(a.saved.fitted);
    expect(b.features).toEqual(a.features);
  });
});
