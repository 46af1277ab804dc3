import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../../protocol/protocol';
import { readLatestRun, removeStaleTemps, specKey, specRunsDir, startRun } from '../../../server/src/pipeline/runs';

describe('run folders', () => {
  it('names a spec\'s runs folder after its file', () => {
    expect(specKey('/a/stock-price.xai.yaml')).toBe('stock-price');
    expect(specRunsDir('/a/b/s.xai.yaml')).toBe('/a/b/.xai/runs/s');
    expect(specRunsDir('/a/b/s.xai.yaml', '/r')).toBe('/r/s');
  });

  it('publishes a run only at commit, then points latest at it; readLatestRun reads it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xai-runs-'));
    const spec = join(dir, 's.xai.yaml');
    expect(await readLatestRun(spec)).toBeNull();
    const run = startRun(spec);
    run.write('report.json', JSON.stringify({ reportVersion: 1, runId: run.runId } as Partial<RunReport>));
    run.write('model/model.json', '{}');
    const runsDir = specRunsDir(spec);
    // Before commit only a hidden temp folder exists.
    expect(readdirSync(runsDir).every((n) => n.startsWith('.tmp-'))).toBe(true);
    expect(await readLatestRun(spec)).toBeNull();
    const final = run.commit();
    expect(readdirSync(runsDir).sort()).toEqual([run.runId, 'latest'].sort());
    expect(readFileSync(join(runsDir, 'latest'), 'utf8')).toBe(`${run.runId}\n`);
    const latest = await readLatestRun(spec);
    expect(latest?.runDir).toBe(final);
    expect(latest?.report.runId).toBe(run.runId);
    expect(existsSync(join(final, 'model/model.json'))).toBe(true);
  });

  it('removes temp folders of dead writers but not of live ones; discard removes its own', () => {
    const runsDir = mkdtempSync(join(tmpdir(), 'xai-stale-'));
    const deadPid = 2 ** 22 + 12345; // above Linux's pid_max default range
    mkdirSync(join(runsDir, `.tmp-20260101-000000-000-abcd-${deadPid}`));
    writeFileSync(join(runsDir, `latest.tmp-${deadPid}`), 'x');
    mkdirSync(join(runsDir, `.tmp-20260101-000000-000-abcd-${process.pid}`));
    expect(removeStaleTemps(runsDir)).toBe(2);
    expect(readdirSync(runsDir)).toEqual([`.tmp-20260101-000000-000-abcd-${process.pid}`]);
    const spec = join(runsDir, 'x.xai.yaml');
    const run = startRun(spec);
    run.discard();
    expect(existsSync(run.tempDir)).toBe(false);
  });

  it('takes a zombie writer for dead (a worker killed with its server, never reaped by PID 1: seen in CI)', async () => {
    // `sleep 0` becomes the child of `sleep 5` (exec), which never reaps it: a zombie for 5 s.
    const sh = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombie = Number((await new Promise<Buffer>((r) => sh.stdout.once('data', r))).toString().trim());
      for (let i = 0; i < 200 && !readFileSync(`/proc/${zombie}/stat`, 'utf8').includes(') Z'); i++) await new Promise((r) => setTimeout(r, 10));
      expect(readFileSync(`/proc/${zombie}/stat`, 'utf8')).toContain(') Z');
      const runsDir = mkdtempSync(join(tmpdir(), 'xai-zombie-'));
      mkdirSync(join(runsDir, `.tmp-20260101-000000-000-abcd-${zombie}`));
      expect(removeStaleTemps(runsDir)).toBe(1);
    } finally {
      sh.kill('SIGKILL');
    }
  });

  it('a latest pointer to a missing or foreign run reads as no run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xai-bad-'));
    const spec = join(dir, 's.xai.yaml');
    mkdirSync(specRunsDir(spec), { recursive: true });
    writeFileSync(join(specRunsDir(spec), 'latest'), '../../etc\n');
    expect(await readLatestRun(spec)).toBeNull();
    writeFileSync(join(specRunsDir(spec), 'latest'), 'nope\n');
    expect(await readLatestRun(spec)).toBeNull();
  });
});
