/**
 * Run folders: `<runs root>/<spec key>/<run id>/`, where the runs root defaults to `<spec folder>/.xai/runs` and
 * the spec key is the spec's file name without `.xai.yaml` (so that it is known without parsing the spec).
 *
 * Atomicity: a run is written into a hidden temp folder beside its final place (`.tmp-<run id>-<pid>`), every
 * file fsynced, then renamed to `<run id>` in one step; the `latest` pointer file is then replaced by
 * write-temp-then-rename. A crash therefore never leaves a visible partial run, only a hidden temp folder, which
 * the next run removes once its writer process is gone. A write that fails (disk full, read-only folder) removes
 * the temp folder and leaves the previous run and `latest` as they were (`ArtifactWriteError` says why).
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { RunReport } from '../../../protocol/protocol';
import { writeFileDurable } from '../data/durableWrite';
import { sha256 } from './prepare';
import { MAX_ARTIFACT_JSON_BYTES, readJsonFile } from '../models/readJsonFile';

export const LATEST = 'latest';
/** Artifact of every run: the fitted preprocessing (server/src/data/standardize.ts `FittedPreprocessing`). */
export const PREPROCESSING_FILE = 'preprocessing.json';
/** Artifact of the columnar data path: the saved data pipeline (server/src/data/frame/recipe.ts). */
export const DATA_PIPELINE_FILE = 'data-pipeline.json';
const TEMP_PREFIX = '.tmp-';

/** The spec's key in the runs root: `stock-price.xai.yaml` → `stock-price`. */
export function specKey(specPath: string): string {
  return basename(specPath).replace(/\.xai\.ya?ml$/i, '').replace(/\.ya?ml$/i, '');
}

/** The runs root of this process when none is given: relative to the spec's folder, or absolute. */
let defaultRunsFolder = join('.xai', 'runs');

/**
 * Sets where runs go when a caller gives no runs root (the `xaiPipelines.runsFolder` setting): a path relative to
 * each spec's folder, or an absolute one; empty restores `.xai/runs`.
 */
export function setDefaultRunsFolder(folder: string): void {
  defaultRunsFolder = folder.trim() || join('.xai', 'runs');
}

/** The runs root for a spec: `runsRoot` if given, else the default runs folder resolved against the spec's folder. */
export function runsRootFor(specPath: string, runsRoot?: string): string {
  if (runsRoot !== undefined) return runsRoot;
  return isAbsolute(defaultRunsFolder) ? defaultRunsFolder : resolve(dirname(specPath), defaultRunsFolder);
}

/** The folder holding a spec's runs. */
export function specRunsDir(specPath: string, runsRoot?: string): string {
  return join(runsRootFor(specPath, runsRoot), specKey(specPath));
}

/** A run folder that could not be written (disk full, read-only, no permission); nothing of it is left visible. */
export class ArtifactWriteError extends Error {
  constructor(readonly code: string, readonly path: string, cause: Error) {
    super(artifactWriteMessage(code, path, cause));
    this.name = 'ArtifactWriteError';
  }
}

const WRITE_CAUSES: Record<string, string> = {
  ENOSPC: 'the disk is full (no space left on device)',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the runs folder is on a read-only file system',
  EACCES: 'permission to write the runs folder is denied',
  EPERM: 'writing the runs folder is not permitted',
};

function artifactWriteMessage(code: string, path: string, cause: Error): string {
  const why = WRITE_CAUSES[code] ?? `the file system refused (${cause.message})`;
  return `could not write the run's artifacts: ${why} (${code}, ${path}); nothing of this run was kept and the previous run is intact`;
}

/** Wraps a file-system error from writing a run as an ArtifactWriteError; anything else is returned as it is. */
export function asArtifactWriteError(e: unknown, fallbackPath: string): unknown {
  const err = e as NodeJS.ErrnoException;
  if (e instanceof ArtifactWriteError || !(e instanceof Error) || typeof err.code !== 'string' || !/^E[A-Z]+$/.test(err.code)) return e;
  return new ArtifactWriteError(err.code, err.path ?? fallbackPath, err);
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

/**
 * Whether the writer `pid` still runs. A zombie does not: a worker killed just before its server was killed is
 * re-parented to PID 1, which in containers often never reaps it, and `kill(pid, 0)` still succeeds on it.
 */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/PID/stat is "pid (comm) STATE …"; comm may hold spaces or parentheses, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return process.platform !== 'linux';
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
      try {
        replaceFileAtomic(join(runsDir, LATEST), `${runId}\n`);
      } catch (e) {
        // `latest` still names the previous run: hide this one again so that no run is visible but not latest.
        try { renameSync(finalDir, tempDir); } catch { /* discard() removes whichever exists */ }
        throw e;
      }
      return finalDir;
    },
    discard() {
      // On a read-only or full file system removal can fail too; the folder is hidden and the next run removes it.
      for (const dir of [tempDir, finalDir]) try { rmSync(dir, { recursive: true, force: true }); } catch { /* see above */ }
      try { rmSync(join(runsDir, `${LATEST}.tmp-${process.pid}`), { force: true }); } catch { /* idem */ }
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
  try {
    writeFileDurable(temp, data);
    renameSync(temp, path);
  } catch (e) {
    try { rmSync(temp, { force: true }); } catch { /* a read-only folder keeps it; it is hidden by name */ }
    throw e;
  }
  fsyncDir(dirname(path));
}

/** A file's content as the run read it: path and sha256 of the bytes. */
export interface FileSnapshot { path: string; sha256: string }

/**
 * The inputs that changed on disk since the run read them: each with `modified` or `deleted`. The run itself used
 * its snapshot (the bytes read at start), so its results match the hashes in its report, not the files now.
 */
export function changedSinceSnapshot(snapshots: readonly FileSnapshot[]): { path: string; now: 'modified' | 'deleted' }[] {
  const out: { path: string; now: 'modified' | 'deleted' }[] = [];
  for (const s of snapshots) {
    let bytes: Buffer;
    try { bytes = readFileSync(s.path); } catch { out.push({ path: s.path, now: 'deleted' }); continue; }
    if (sha256(bytes) !== s.sha256) out.push({ path: s.path, now: 'modified' });
  }
  return out;
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
    const report = readJsonFile(join(runDir, 'report.json'), MAX_ARTIFACT_JSON_BYTES) as RunReport;
    if (report?.reportVersion !== 1) return null;
    return { runDir, report };
  } catch {
    return null;
  }
}
