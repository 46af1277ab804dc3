/**
 * Requests about files around specs: `xai/newPipeline` (a first spec for a CSV), `xai/explainModelFile` (explain a
 * saved model: with its run's spec when there is one, else in the worker on a CSV the client asks the user for),
 * and the `xai/workspaceTrust` notification (nothing here reads or writes files in an untrusted workspace).
 */
import { basename, dirname, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import {
  ExplainModelFileRequest, NewPipelineRequest, WorkspaceTrustNotification,
  type ExplainModelFileParams, type ExplainModelFileResult, type NewPipelineParams, type NewPipelineResult, type WorkspaceTrustParams,
} from '../../../protocol/protocol';
import { locateSavedModel } from '../pipeline/savedModel';
import { dataProfile, isProfile } from '../spec/dataProfile';
import { scaffoldSpec, specNameFor } from '../spec/scaffold';
import { runJob } from '../worker/client';
import type { RunService } from './runs';
import { isWorkspaceTrusted, setWorkspaceTrusted, specPathOf, UNTRUSTED_MESSAGE } from './specDocuments';

/** The spec text for a CSV, with `data.source` relative to the spec's folder. Never throws. */
export function newPipeline(p: NewPipelineParams): NewPipelineResult {
  if (!isWorkspaceTrusted()) return { ok: false, message: UNTRUSTED_MESSAGE };
  const csv = specPathOf(p.csvUri);
  const spec = specPathOf(p.specUri);
  if (!csv || !spec) return { ok: false, message: 'New Pipeline needs a CSV file and a spec file on disk.' };
  const profile = dataProfile(csv);
  if (!isProfile(profile)) return { ok: false, message: `${basename(csv)} ${profile.error}` };
  const source = relative(dirname(spec), csv).split('\\').join('/');
  try {
    const r = scaffoldSpec(profile, source, specNameFor(basename(csv).replace(/\.[^.]+$/, '')));
    return { ok: true, text: r.text, target: r.target, task: r.task, features: r.features };
  } catch (e) {
    return { ok: false, message: `${basename(csv)}: ${(e as Error).message}` };
  }
}

/**
 * Explains the saved model at `p.uri`. A run whose spec exists and which is that spec's latest run is explained
 * with the spec (`runs.run('explain')`: its data steps and fitted preprocessing); any other model is explained in a
 * worker on the run's data file or `p.dataUri`, and without either the answer is `needsData`.
 */
export async function explainModelFile(p: ExplainModelFileParams, runs: RunService, connection: Connection, token?: CancellationToken): Promise<ExplainModelFileResult> {
  if (!isWorkspaceTrusted()) return { ok: false, message: UNTRUSTED_MESSAGE };
  const path = specPathOf(p.uri);
  if (!path) return { ok: false, message: `Cannot explain ${p.uri}: not a file on disk.` };
  let where;
  try { where = locateSavedModel(path); } catch (e) { return { ok: false, message: (e as Error).message }; }
  if (where.specPath) return runs.run('explain', { uri: pathToFileURL(where.specPath).href }, token);

  const dataPath = (p.dataUri ? specPathOf(p.dataUri) : undefined) ?? where.dataPath;
  if (!dataPath) {
    return { ok: false, needsData: true, message: `${basename(where.model)} has no spec or data file of its own: pick the CSV to explain it on.` };
  }
  const abort = new AbortController();
  const sub = token?.onCancellationRequested(() => abort.abort());
  connection.console.log(`[xai] explaining the saved model ${where.model} on ${dataPath}`);
  try {
    const result: ExplainModelFileResult = await runJob(
      { kind: 'explainModel', specPath: where.runDir ?? where.model, dataPath, ...(p.target ? { target: p.target } : {}) },
      { signal: abort.signal, onLog: (line) => connection.console.log(`[xai worker] ${line}`) },
    );
    if (!result.ok && !result.cancelled) connection.console.error(`[xai] explain model failed: ${result.message ?? ''}`);
    return result;
  } finally {
    sub?.dispose();
  }
}

/** Registers the requests and the trust notification; `onTrusted` re-checks the open specs with their data. */
export function listenPipelineFiles(connection: Connection, runs: RunService, onTrusted: () => void): void {
  connection.onRequest(NewPipelineRequest, (p: NewPipelineParams) => newPipeline(p));
  connection.onRequest(ExplainModelFileRequest, (p: ExplainModelFileParams, token: CancellationToken) => explainModelFile(p, runs, connection, token));
  connection.onNotification(WorkspaceTrustNotification, (p: WorkspaceTrustParams) => {
    const was = isWorkspaceTrusted();
    setWorkspaceTrusted(p.trusted === true);
    if (!was && isWorkspaceTrusted()) onTrusted();
  });
}
