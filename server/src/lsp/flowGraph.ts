/**
 * The `xai/flowGraph` and `xai/latestRun` requests: the spec's pipeline as a graph (from the editor's current
 * text, so the drawing follows typing) and its latest finished run.
 */
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  FlowGraphRequest, LatestRunRequest,
  type FlowGraphParams, type FlowGraphResult, type LatestRunParams, type LatestRunResult,
} from '../../../protocol/protocol';
import { readLatestRun } from '../pipeline/runs';
import { buildFlowGraph } from '../report/flowGraph';
import { parseSpec } from '../spec/parse';
import { specPathOf, specText } from './specDocuments';

/** The latest finished run of the spec at `uri`, or null (no run yet, not a file, unreadable report). */
export async function latestRun(uri: string): Promise<LatestRunResult> {
  const path = specPathOf(uri);
  return path ? readLatestRun(path) : null;
}

export function listenFlowGraph(connection: Connection, documents: TextDocuments<TextDocument>): void {
  connection.onRequest(FlowGraphRequest, async (p: FlowGraphParams): Promise<FlowGraphResult> => {
    const text = specText(documents, p.uri);
    if (text === undefined) return null;
    const run = await latestRun(p.uri);
    return buildFlowGraph(parseSpec(text), run?.report ?? null);
  });
  connection.onRequest(LatestRunRequest, (p: LatestRunParams): Promise<LatestRunResult> => latestRun(p.uri));
}
