/**
 * Run folders: `<runs root>/<spec key>/<run id>/`, where the runs root defaults to `<spec folder>/.xai/runs` and
 * the spec key is the spec's file name without `.xai.yaml` (so that it is known without parsing the spec).
 *
 * Atomicity: a run is written into a hidden temp folder beside its final place (`.tmp-<run id>-<pid>`), every
 * file fsynced, then renamed to `<run id>` in one step; the `latest` pointer file is then replaced by
 * write-temp-then-rename. A crash therefore never leaves a visible partial run, only a hidden temp folder, which
 * the next run removes once its writer process is gone.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { RunReport } from '../../../protocol/protocol';
import { writeFileDurable } from '../data/durableWrite';

export const LATEST = 'latest';
const TEMP_PREFIX = '.tmp-';

/** The spec's key in the runs root: `stock-price.xai.yaml` → `stock-price`. */
export function specKey(specPath: string): string {
  return basename(specPath).replace(/\.xai\.ya?ml$/i, '').replace(/\.ya?ml$/i, '');
}

/** The folder holding a spec's runs. */
export function specRunsDir(specPath: string, runsRoot?: string): string {
  return join(runsRoot ?? join(dirname(specPath), '.xai', 'runs'), specKey(specPath));
}

/** A new run id, sortable by time and unique: `20261129-170826-123-a1b2`. */
export function newRunId(now = new Date()): string {
  const iso = now.toISOString(); // 2026-11-29T17:08:26.123Z
  const stamp = `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}-${iso.slice(20, 23)}`;
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp folders and files left by crashed writers (whose process is gone). Returns how many. */
export function removeStaleTemps(runsDir: string): number {
  if (!existsSync(runsDir)) return 0;
  let removed = 0;
  for (const name of readdirSync(runsDir)) {
    const m = /^(?:\.tmp-.*|latest\.tmp)-(\d+)$/.exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    rmSync(join(runsDir, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

/** A run being written: files go to `tempDir`; `commit` publishes it as `finalDir` and points `latest` at it. */
export interface RunWriter {
  runId: string;
  tempDir: string;
  finalDir: string;
  /** Writes a file (relative path) durably into the temp folder. */
  write(relPath: string, data: string | Uint8Array): void;
  /** fsyncs, renames the temp folder into place and updates `latest`. Returns the final folder. */
  commit(): string;
  /** Removes the temp folder (after a failure). */
  discard(): void;
}

/** Starts writing a new run of the spec; removes stale temp folders first. */
export function startRun(specPath: string, runsRoot?: string): RunWriter {
  const runsDir = specRunsDir(specPath, runsRoot);
  mkdirSync(runsDir, { recursive: true });
  removeStaleTemps(runsDir);
  const runId = newRunId();
  const tempDir = join(runsDir, `${TEMP_PREFIX}${runId}-${process.pid}`);
  const finalDir = join(runsDir, runId);
  mkdirSync(tempDir);
  const dirs = new Set<string>([tempDir]);
  return {
    runId, tempDir, finalDir,
    write(relPath, data) {
      const path = join(tempDir, relPath);
      mkdirSync(dirname(path), { recursive: true });
      dirs.add(dirname(path));
      writeFileDurable(path, data);
    },
    commit() {
      // Subfolders (e.g. model/ written by tfjs's save handler) are fsynced too.
      for (const d of walkDirs(tempDir)) fsyncDir(d);
      renameSync(tempDir, finalDir);
      fsyncDir(runsDir);
      replaceFileAtomic(join(runsDir, LATEST), `${runId}\n`);
      return finalDir;
    },
    discard() {
      rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

function walkDirs(dir: string): string[] {
  const out = [dir];
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) out.push(...walkDirs(join(dir, e.name)));
  return out;
}

/** Replaces a file's content atomically: write `<path>.tmp-<pid>`, fsync, rename over `path`. */
export function replaceFileAtomic(path: string, data: string): void {
  const temp = `${path}.tmp-${process.pid}`;
  writeFileDurable(temp, data);
  renameSync(temp, path);
  fsyncDir(dirname(path));
}

/**
 * The spec's latest finished run, or null when it has none (or its `latest` pointer or report is unreadable).
 * @param specPath absolute path of the spec file; `runsRoot` as given to the run (default `<spec folder>/.xai/runs`).
 */
export async function readLatestRun(specPath: string, runsRoot?: string): Promise<{ runDir: string; report: RunReport } | null> {
  const runsDir = specRunsDir(specPath, runsRoot);
  try {
    const runId = readFileSync(join(runsDir, LATEST), 'utf8').trim();
    if (!/^[\w.-]+$/.test(runId) || runId.startsWith('.')) return null;
    const runDir = join(runsDir, runId);
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as RunReport;
    if (report?.reportVersion !== 1) return null;
    return { runDir, report };
  } catch {
    return null;
  }
}
