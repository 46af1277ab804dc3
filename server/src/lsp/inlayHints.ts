/**
 * Inlay hints: each feature's permutation importance from the spec's latest run, next to where the feature is
 * defined (after a listed feature; after a lag step's `count` for lag features), marked stale when the spec or
 * data changed since the run.
 */
import type { InlayHint, InlayHintParams, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { specAnalysis } from './diagnostics';

export function specInlayHints(documents: TextDocuments<TextDocument>, params: InlayHintParams): InlayHint[] {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const { start, end } = params.range;
  return specAnalysis(doc.getText(), params.textDocument.uri).hints
    .filter((h) => h.position.line >= start.line && h.position.line <= end.line)
    .map((h) => ({ position: h.position, label: h.label, paddingLeft: false, ...(h.tooltip ? { tooltip: h.tooltip } : {}) }));
}
