/**
 * The `xai/runReport` request: a run's report.json and its explanation.md for the Report panel, either of the
 * spec's latest run or of a run folder the client names (Explorer, Open Latest Run). The client never reads run
 * files itself: it knows runs only through this request.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import { isRunReport, RunReportRequest, type RunReportParams, type RunReportResult } from '../../../protocol/protocol';
import { readLatestRun } from '../pipeline/runs';
import { isWorkspaceTrusted, specPathOf, UNTRUSTED_MESSAGE } from './specDocuments';

/** explanation.md larger than this is not sent (a Markdown summary is a few kB). */
const MAX_MARKDOWN_BYTES = 2_000_000;

/** The run's explanation.md (path from `artifacts.explanation`, inside the run folder), or null. */
function explanationOf(runDir: string, relative: string | undefined): string | null {
  if (!relative) return null;
  const path = resolve(runDir, relative);
  // The name comes from a file: keep it inside the run folder.
  if (dirname(path) !== resolve(runDir) && !path.startsWith(resolve(runDir) + '/')) return null;
  try {
    if ((statSync(path).size) > MAX_MARKDOWN_BYTES) return null;
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Reads `<runDir>/report.json`; a clear message when it is missing or not a report. */
function readRunFolder(runDir: string): RunReportResult {
  let text: string;
  try {
    text = readFileSync(join(runDir, 'report.json'), 'utf8');
  } catch {
    return { ok: false, message: `${runDir} is not a run folder: it has no readable report.json` };
  }
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `${join(runDir, 'report.json')} is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!isRunReport(report)) return { ok: false, message: `${join(runDir, 'report.json')} is not an XAI Pipelines run report (version 1)` };
  return { ok: true, runDir, report, explanationMarkdown: explanationOf(runDir, report.artifacts?.explanation) };
}

/**
 * Answers one request; never throws.
 * @param p `runDir`: a `file:` URI of a run folder or of its report.json; else `uri`: the spec whose latest run is meant.
 */
export async function runReport(p: RunReportParams): Promise<RunReportResult> {
  if (!isWorkspaceTrusted()) return { ok: false, message: UNTRUSTED_MESSAGE };
  if (typeof p?.runDir === 'string') {
    const path = specPathOf(p.runDir);
    if (!path) return { ok: false, message: `the run folder must be a file: URI, got ${p.runDir.slice(0, 200)}` };
    return readRunFolder(basename(path) === 'report.json' ? dirname(path) : path);
  }
  const specPath = typeof p?.uri === 'string' ? specPathOf(p.uri) : undefined;
  if (!specPath) return { ok: false, message: 'the report needs a spec saved as a file, or a run folder' };
  const latest = await readLatestRun(specPath);
  if (!latest) return { ok: false, message: `${basename(specPath)} has no finished run yet: train it first` };
  return readRunFolder(latest.runDir);
}

export function listenRunReport(connection: Connection): void {
  connection.onRequest(RunReportRequest, (p: RunReportParams) => runReport(p));
}
