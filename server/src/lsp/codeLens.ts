/**
 * Code lenses on a spec's first line: "▶ Train" and "Explain", which the client runs as its commands
 * `xaiPipelines.train` / `xaiPipelines.explain` with the spec's URI.
 */
import type { CodeLens, CodeLensParams } from 'vscode-languageserver/node';
import { isSpecUri } from './specDocuments';

export const TRAIN_COMMAND = 'xaiPipelines.train';
export const EXPLAIN_COMMAND = 'xaiPipelines.explain';

/** The lenses of a document: two on line 0 for `*.xai.yaml`, none for anything else. */
export function specCodeLenses(params: CodeLensParams): CodeLens[] {
  const uri = params.textDocument.uri;
  if (!isSpecUri(uri)) return [];
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return [
    { range, command: { title: '▶ Train', command: TRAIN_COMMAND, arguments: [uri] } },
    { range, command: { title: 'Explain', command: EXPLAIN_COMMAND, arguments: [uri] } },
  ];
}
