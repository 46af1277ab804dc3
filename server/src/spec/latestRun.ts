/**
 * The latest finished run of a spec, read synchronously and cached by the `latest` pointer's modification time, so
 * that the run feedback costs one `stat` per check. A new run replaces the pointer (atomic rename), which changes
 * its mtime; `invalidateLatestRuns` drops everything (after `xai/runFinished`).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport, RunResult } from '../../../protocol/protocol';
import { LATEST, specRunsDir } from '../pipeline/runs';
import { specSha256 } from './runFeedback';
import { MAX_ARTIFACT_JSON_BYTES, readJsonFile } from '../models/readJsonFile';

interface Entry { mtimeMs: number; ino: number; run: { runDir: string; report: RunReport } | null }
const cache = new Map<string, Entry>();

/** The spec's latest run (report.json parsed), or null when there is none or it is unreadable. Never throws. */
export function latestRunSync(specPath: string): { runDir: string; report: RunReport } | null {
  const runsDir = specRunsDir(specPath);
  const pointer = join(runsDir, LATEST);
  let mtimeMs: number;
  let ino: number;
  try {
    const st = statSync(pointer);
    mtimeMs = st.mtimeMs;
    ino = st.ino;
  } catch {
    cache.delete(specPath);
    return null;
  }
  const hit = cache.get(specPath);
  if (hit && hit.mtimeMs === mtimeMs && hit.ino === ino) return hit.run;
  let run: Entry['run'] = null;
  try {
    const runId = readFileSync(pointer, 'utf8').trim();
    if (/^[\w.-]+$/.test(runId) && !runId.startsWith('.')) {
      const runDir = join(runsDir, runId);
      const report = readJsonFile(join(runDir, 'report.json'), MAX_ARTIFACT_JSON_BYTES) as RunReport;
      if (report?.reportVersion === 1) run = { runDir, report };
    }
  } catch { /* unreadable: no feedback */ }
  cache.set(specPath, { mtimeMs, ino, run });
  return run;
}

/** Forgets every cached run (a run just finished). */
export function invalidateLatestRuns(): void {
  cache.clear();
}

/** A run that failed (no report): the spec text's hash it ran and the worker's message. */
export interface FailedRun { specSha256: string; message: string; at: string }
const failures = new Map<string, FailedRun>();

/**
 * Remembers the outcome of a job for the run feedback: a failure (e.g. "training diverged at epoch 3") is kept
 * with the hash of the spec text it ran, until the next successful run of the spec. Cancelled jobs are ignored.
 */
export function recordRunOutcome(specPath: string, result: RunResult, specText: string): void {
  if (result.ok) failures.delete(specPath);
  else if (!result.cancelled && result.message) {
    failures.set(specPath, { specSha256: specSha256(specText), message: result.message, at: new Date().toISOString() });
  }
}

/** The spec's last failed run, if the latest job failed. */
export function failedRun(specPath: string): FailedRun | undefined {
  return failures.get(specPath);
}
