/** examples/penguins end to end: messy CSV → columnar recipe → MLP classification → run folder with data-pipeline.json. */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DataStepAccount } from '../../../server/src/data/frame/account';
import { reapplyPipeline, type SavedDataPipeline } from '../../../server/src/data/frame/recipe';
import { prepareData } from '../../../server/src/pipeline/prepare';
import { DATA_PIPELINE_FILE, runPipeline } from '../../../server/src/pipeline/runPipeline';
import { readSpec } from '../../../server/src/pipeline/specInput';
import { selectBackend } from '../../../server/src/worker/backend';

const root = join(__dirname, '../../..');

describe('examples/penguins', () => {
  let ws: string;
  beforeAll(async () => {
    expect(await selectBackend('cpu')).toBe('cpu');
    ws = mkdtempSync(join(tmpdir(), 'xai-penguins-'));
    cpSync(join(root, 'examples', 'penguins'), join(ws, 'penguins'), { recursive: true, filter: (s) => !s.includes('.xai/') });
    cpSync(join(root, 'examples', 'data'), join(ws, 'data'), { recursive: true });
  });

  it('classifies species; the report accounts for every step; the saved data pipeline rebuilds the features from the raw CSV', async () => {
    const specPath = join(ws, 'penguins', 'penguins.xai.yaml');
    const { runDir, report } = await runPipeline(specPath, { backend: 'cpu', runsRoot: join(ws, 'runs') });
    expect(report.task).toBe('classification');
    expect(report.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect([report.data.rows, report.data.trainRows, report.data.validationRows]).toEqual([344, 275, 69]);
    expect(report.metrics.classification!.model.accuracy).toBeGreaterThan(0.9);
    const steps = report.steps as DataStepAccount[];
    expect(steps.map((s) => s.step)).toEqual(['load', 'split', 'impute', 'impute', 'one_hot', 'standardize', 'label_encode', 'features']);
    expect(steps.filter((s) => s.step === 'impute').map((s) => s.imputed)).toEqual([8, 11]);
    expect(report.features).toEqual(['Island=Biscoe', 'Island=Dream', 'Island=Torgersen', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Sex=FEMALE', 'Sex=MALE']);

    // Island and Sex are explained as one feature each: their indicators are permuted together.
    expect(report.importance!.features.map((f) => f.feature).sort()).toEqual(['Beak Depth (mm)', 'Beak Length (mm)', 'Body Mass (g)', 'Flipper Length (mm)', 'Island', 'Sex']);
    expect(report.importance!.features.find((f) => f.feature === 'Island')!.columns).toEqual(['Island=Biscoe', 'Island=Dream', 'Island=Torgersen']);

    const saved = JSON.parse(readFileSync(join(runDir, DATA_PIPELINE_FILE), 'utf8')) as SavedDataPipeline;
    expect(saved.groups).toEqual({ Island: ['Island=Biscoe', 'Island=Dream', 'Island=Torgersen'], Sex: ['Sex=FEMALE', 'Sex=MALE'] });
    const again = reapplyPipeline(saved, { path: join(ws, 'data', 'penguins.csv') });
    const { spec } = readSpec(specPath);
    expect(again.x).toEqual(prepareData(spec, specPath).all.x);
  });
});
