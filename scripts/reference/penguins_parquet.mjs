// Writes test/fixtures/data/penguins.parquet from examples/data/penguins.csv, so that the pipeline can be checked to
// train identically on both. The CSV is read by papaparse (not by our loader, which the fixture tests); an empty cell
// becomes a Parquet null; every other text is kept as written (the stray "." in Sex stays a text: the loader's
// missing-value tokens apply to Parquet texts too). Measurements are DOUBLE, the rest STRING; row groups of 100 rows
// (344 rows → 4 groups), so that the reader is tested across groups. Run: node scripts/reference/penguins_parquet.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { parquetWriteBuffer } from 'hyparquet-writer';

const root = join(import.meta.dirname, '..', '..');
const text = readFileSync(join(root, 'examples', 'data', 'penguins.csv'), 'utf8');
const { data, meta, errors } = Papa.parse(text, { header: true, skipEmptyLines: true });
if (errors.length) throw new Error(`penguins.csv: ${errors[0].message} (row ${errors[0].row})`);
const strings = new Set(['Species', 'Island', 'Sex']);
const columnData = meta.fields.map((name) => strings.has(name)
  ? { name, type: 'STRING', data: data.map((r) => (r[name].trim() === '' ? null : r[name].trim())) }
  : { name, type: 'DOUBLE', data: data.map((r) => (r[name].trim() === '' ? null : Number(r[name]))) });
const out = join(root, 'test', 'fixtures', 'data', 'penguins.parquet');
writeFileSync(out, new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize: 100 })));
console.log(`${out}: ${data.length} rows, ${columnData.length} columns`);
