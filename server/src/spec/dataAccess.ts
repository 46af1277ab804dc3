/**
 * Where a spec may read data from. Specs come from colleagues and downloads; in the editor a `data.source` of
 * `../../secrets.csv`, `/etc/passwd` or a symbolic link out of the workspace must not be read (its columns would
 * show in completions and hovers, its rows would train). The language server sets the policy from the workspace
 * folders and the `xaiPipelines.data.allowOutsideWorkspace` setting; the CLI and the worker set none (the user
 * named the spec on the command line), so everything is allowed there.
 */
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';

export interface DataAccessPolicy {
  /** Workspace folders (absolute paths); data must be inside one of them. None (a file opened alone): no limit. */
  roots: readonly string[];
  /** The `xaiPipelines.data.allowOutsideWorkspace` setting. */
  allowOutside: boolean;
}

let policy: DataAccessPolicy | undefined;

/** Sets (or with undefined, lifts) the process's data-access policy. */
export function setDataAccessPolicy(p: DataAccessPolicy | undefined): void {
  policy = p && { roots: p.roots.map(realOrResolved), allowOutside: p.allowOutside };
}

/** The path with every symbolic link resolved, or as resolved text when it does not exist (yet). */
function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    // A missing file: judge by its folder's real path, so a link to a folder outside still counts as outside.
    try { return resolve(realpathSync(dirname(path)), relative(dirname(path), path)); } catch { return resolve(path); }
  }
}

const inside = (root: string, path: string): boolean => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * Why the data file at `dataPath` (absolute) may not be read, or undefined when it may.
 * Symbolic links are followed: a link inside the workspace to a file outside is outside.
 */
export function dataAccessProblem(dataPath: string): string | undefined {
  if (!policy || policy.allowOutside || policy.roots.length === 0) return undefined;
  const real = realOrResolved(dataPath);
  if (policy.roots.some((r) => inside(r, real))) return undefined;
  return `is outside the workspace (${real}); XAI Pipelines reads data only inside the workspace folders unless the setting xaiPipelines.data.allowOutsideWorkspace is on`;
}
