/**
 * The worker's memory limit, with the real built worker: a job that needs more heap than allowed ends with a
 * clear out-of-memory message, and the spec's previous run stays the latest, complete and readable.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLatestRun } from '../../../server/src/pipeline/runs';
import { runJob } from '../../../server/src/worker/client';
import { root, seededClassificationCsv } from './helpers';

const workerPath = join(root, 'dist', 'worker', 'worker.js');

describe('worker memory limit (real worker process)', () => {
  it('out of memory ends the job with a clear message; the previous run is intact', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'xai-oom-'));
    const spec = join(ws, 'big.xai.yaml');
    writeFileSync(spec, 'version: 1\nname: big\ntask: classification\ndata: { source: data.csv, target: label }\n' +
      'preprocessing:\n  - split: { method: random, validation: 0.2 }\nmodel: { type: decision_tree, max_depth: 6 }\ntraining: { seed: 1 }\n');
    writeFileSync(join(ws, 'data.csv'), seededClassificationCsv(300));
    const first = await runJob({ kind: 'train', specPath: spec, backend: 'cpu' }, { workerPath });
    expect(first.ok, first.message).toBe(true);

    writeFileSync(join(ws, 'data.csv'), seededClassificationCsv(400_000));
    const second = await runJob({ kind: 'train', specPath: spec, backend: 'cpu' }, { workerPath, memoryLimitMb: 64 });
    expect(second.ok).toBe(false);
    expect(second.message).toMatch(/ran out of memory \(limit 64 MB\) and was stopped; the previous run is intact/);

    const latest = await readLatestRun(spec);
    expect(latest?.runDir).toBe(first.runDir);
    expect(latest?.report.runId).toBe(first.report!.runId);
    expect(JSON.parse(readFileSync(join(first.runDir!, 'model', 'model.json'), 'utf8')).family).toBe('decision_tree');
  });
});
