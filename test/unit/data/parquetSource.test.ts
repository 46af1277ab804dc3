/**
 * A spec whose data.source is a Parquet file (test/fixtures/data/penguins.parquet, written from
 * examples/data/penguins.csv by scripts/reference/penguins_parquet.mjs): checks, completion and hover read its
 * schema's columns; the pipeline trains on it exactly as on the CSV; the saved data pipeline reapplies to it.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { reapplyPipeline, type SavedDataPipeline } from '../../../server/src/data/frame/recipe';
import { prepareData } from '../../../server/src/pipeline/prepare';
import { DATA_PIPELINE_FILE, runPipeline } from '../../../server/src/pipeline/runPipeline';
import { readSpec } from '../../../server/src/pipeline/specInput';
import { loadSpecFile } from '../../../server/src/spec/check';
import { dataProfile, isProfile } from '../../../server/src/spec/dataProfile';
import { columnHover, completionData } from '../../../server/src/spec/specData';
import { selectBackend } from '../../../server/src/worker/backend';

const root = join(__dirname, '../../..');

describe('Parquet as data.source', () => {
  let ws: string;
  let csvSpec: string;
  let pqSpec: string;
  beforeAll(async () => {
    expect(await selectBackend('cpu')).toBe('cpu');
    ws = mkdtempSync(join(tmpdir(), 'xai-parquet-spec-'));
    cpSync(join(root, 'examples', 'data'), join(ws, 'data'), { recursive: true });
    copyFileSync(join(root, 'test', 'fixtures', 'data', 'penguins.parquet'), join(ws, 'data', 'penguins.parquet'));
    // The penguins example with a tree (deterministic, quick); the same text but for the source.
    const text = readFileSync(join(root, 'examples', 'penguins', 'penguins.xai.yaml'), 'utf8')
      .replace('model:\n  type: mlp\n  hidden_layers:\n    - units: 8\n      activation: relu\n', 'model:\n  type: decision_tree\n  max_depth: 4\n');
    expect(text).toContain('type: decision_tree');
    mkdirSync(join(ws, 'specs'));
    csvSpec = join(ws, 'specs', 'csv.xai.yaml');
    pqSpec = join(ws, 'specs', 'parquet.xai.yaml');
    writeFileSync(csvSpec, text);
    writeFileSync(pqSpec, text.replace('../data/penguins.csv', '../data/penguins.parquet'));
  });

  it('profiles the Parquet file as the CSV: same columns, kinds, missing counts and statistics', () => {
    const csv = dataProfile(join(ws, 'data', 'penguins.csv'));
    const pq = dataProfile(join(ws, 'data', 'penguins.parquet'));
    if (!isProfile(csv) || !isProfile(pq)) throw new Error('expected profiles');
    expect(pq.rows).toBe(344);
    expect(pq.columns).toEqual(csv.columns);
    expect(pq.columns.map((c) => [c.name, c.kind, c.missing])).toEqual([
      ['Species', 'text', 0], ['Island', 'text', 0], ['Beak Length (mm)', 'numeric', 2], ['Beak Depth (mm)', 'numeric', 2],
      ['Flipper Length (mm)', 'numeric', 2], ['Body Mass (g)', 'numeric', 2], ['Sex', 'text', 11],
    ]);
  });

  it('a file named .parquet that is not Parquet gives a data-file-unreadable reason, not a crash', () => {
    const path = join(ws, 'data', 'fake.parquet');
    writeFileSync(path, 'a,b\n1,2\n');
    const p = dataProfile(path);
    expect(p).toEqual({ error: expect.stringMatching(/^is not a readable Parquet file: not a Parquet file: /) as unknown as string });
  });

  it('checks columns against the Parquet schema; completion and hover offer and describe them', () => {
    const good = loadSpecFile(pqSpec).diagnostics.filter((d) => d.severity === 'error');
    expect(good).toEqual([]);
    const text = readFileSync(pqSpec, 'utf8').replace('  target: Species\n', '  target: Species\n  features: [Island, Beak Lenght (mm)]\n');
    const bad = join(ws, 'specs', 'bad.xai.yaml');
    writeFileSync(bad, text);
    const d = loadSpecFile(bad).diagnostics.find((x) => x.code === 'unknown-column')!;
    expect(d.message).toBe("No column 'Beak Lenght (mm)' (feature) in penguins.parquet; did you mean 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)'? Columns: Species, Island, Beak Length (mm), Beak Depth (mm), Flipper Length (mm), Body Mass (g), Sex.");
    expect(completionData(text, bad).columns!.map((c) => c.name)).toEqual(['Species', 'Island', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Sex']);
    const line = text.split('\n').findIndex((l) => l.includes('target: Species'));
    const hover = columnHover(text, { line, character: text.split('\n')[line]!.indexOf('Species') + 2 }, bad)!;
    expect(hover.markdown).toBe('**Species**: text column, 344 rows, 0 missing (0.0 %), 3 distinct\n\ntop: `Adelie` (152), `Gentoo` (124), `Chinstrap` (68)');
  });

  it('trains on the Parquet file with the same features, steps and metrics as on the CSV; the saved pipeline reapplies to the Parquet file', async () => {
    const a = prepareData(readSpec(csvSpec).spec, csvSpec);
    const b = prepareData(readSpec(pqSpec).spec, pqSpec);
    expect(b.all.features).toEqual(a.all.features);
    expect(b.all.x).toEqual(a.all.x);
    expect(b.all.y).toEqual(a.all.y);
    // Same rows in each part: a Parquet row's "line" is its 1-based row number, a CSV row's its file line (header = 1).
    expect([b.train.lines, b.validation.lines].map((ls) => ls.map((l) => l + 1))).toEqual([a.train.lines, a.validation.lines]);
    expect(b.steps.slice(1)).toEqual(a.steps.slice(1)); // all but the load step, whose detail names the delimiter

    const runA = await runPipeline(csvSpec, { backend: 'cpu', runsRoot: join(ws, 'runs') });
    const runB = await runPipeline(pqSpec, { backend: 'cpu', runsRoot: join(ws, 'runs') });
    expect(runB.report.features).toEqual(runA.report.features);
    expect(runB.report.data.rows).toBe(344);
    expect([runB.report.data.trainRows, runB.report.data.validationRows]).toEqual([275, 69]);
    expect(runB.report.metrics).toEqual(runA.report.metrics);
    const accuracy = runB.report.metrics.classification!.model.accuracy;
    expect(accuracy).toBeGreaterThan(0.9);

    const saved = JSON.parse(readFileSync(join(runB.runDir, DATA_PIPELINE_FILE), 'utf8')) as SavedDataPipeline;
    expect(reapplyPipeline(saved, { path: join(ws, 'data', 'penguins.parquet') }).x).toEqual(b.all.x);
  });
});
