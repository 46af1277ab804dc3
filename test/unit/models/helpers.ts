/** Test helpers: the reference JSON and the example CSVs as matrices. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../../server/src/data/csv';
import { numericColumn } from '../../../server/src/data/table';
import { encodeLabels } from '../../../server/src/models/labels';

export const root = join(__dirname, '..', '..', '..');

/** test/fixtures/sklearn/models.json, written by scripts/reference/models.py. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const reference: any = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'sklearn', 'models.json'), 'utf8'));

/** A CSV from examples/data: every column but the target as features. */
export function loadCsv(file: string, target: string): { features: string[]; x: number[][]; labels: string[]; yNumeric?: number[] } {
  const path = join(root, 'examples', 'data', file);
  const table = parseCsv(readFileSync(path, 'utf8'), path);
  const features = table.columns.filter((c) => c !== target);
  const cols = features.map((f) => numericColumn(table, f));
  const t = table.columns.indexOf(target);
  const labels = table.rows.map((r) => String(r.cells[t]));
  return { features, x: table.rows.map((_, i) => cols.map((c) => c[i]!)), labels };
}

/** A classification CSV: features, class indices in sorted label order, classes. */
export function loadClassification(file: string, target: string): { features: string[]; x: number[][]; y: number[]; classes: string[] } {
  const d = loadCsv(file, target);
  return { features: d.features, x: d.x, ...encodeLabels(d.labels) };
}

export function accuracyOf(pred: number[][], y: readonly number[]): number {
  let ok = 0;
  pred.forEach((p, i) => { if (p.indexOf(Math.max(...p)) === y[i]) ok++; });
  return ok / y.length;
}

/** A seeded CSV text of `rows` rows: 8 uniform features a…h and a yes/no label (yes when a + b > 1), for worker tests. */
export function seededClassificationCsv(rows: number): string {
  let s = 7;
  const r = (): number => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
  const lines = ['a,b,c,d,e,f,g,h,label'];
  for (let i = 0; i < rows; i++) {
    const v = Array.from({ length: 8 }, r);
    lines.push(`${v.map((x) => x.toFixed(6)).join(',')},${v[0]! + v[1]! > 1 ? 'yes' : 'no'}`);
  }
  return `${lines.join('\n')}\n`;
}
