/**
 * `xai check SPEC…`: the language server's diagnostics for spec files, printed one per line as
 * `file:line:col: severity code message` (1-based line and column) for terminals, CI logs and problem matchers.
 */
import { relative } from 'node:path';
import { byPosition, loadSpecFile, specDataProfile } from './check';
import { latestRunSync } from './latestRun';
import type { SpecDiagnostic } from './parse';
import { runFeedback } from './runFeedback';

/** `file:line:col: severity code message`, with 1-based line and column; the message on one line. */
export function formatCheckLine(file: string, d: SpecDiagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code} ${d.message.replace(/\s*\n\s*/g, ' ')}`;
}

export interface CheckedFile { file: string; diagnostics: SpecDiagnostic[] }

/**
 * Checks each spec (absolute paths): parse, schema, data-aware checks and, with `feedback`, the latest run's
 * feedback (over-fitting, unimportant features, leakage, stale results). Files are named relative to `cwd`.
 * Never throws: an unreadable spec gives a `spec-file-unreadable` error.
 */
export function checkFiles(paths: readonly string[], opts: { cwd: string; feedback?: boolean }): CheckedFile[] {
  return paths.map((path) => {
    const { parsed, diagnostics } = loadSpecFile(path);
    let all = diagnostics;
    const run = opts.feedback ? latestRunSync(path) : null;
    if (run) {
      const profile = specDataProfile(parsed, path);
      const fb = runFeedback(parsed, run.report, profile && !('error' in profile) ? profile.sha256 : undefined);
      all = byPosition([...diagnostics, ...fb.diagnostics]);
    }
    return { file: relative(opts.cwd, path) || path, diagnostics: all };
  });
}
