/**
 * Quick fixes: a diagnostic that carries a did-you-mean (`data.replacement`, e.g. `targt` → `target`, `adamw` →
 * `adam`) offers "Change to 'target'", which replaces the diagnostic's range.
 */
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver/node';

/** The replacement a diagnostic published by this server carries, if any. */
function replacementOf(d: Diagnostic): string | undefined {
  if (d.source !== 'xai-pipelines') return undefined;
  const data = d.data as { replacement?: unknown } | undefined;
  return typeof data?.replacement === 'string' ? data.replacement : undefined;
}

/** One preferred quick fix per diagnostic with a replacement, in the request's context. */
export function specCodeActions(params: CodeActionParams): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of params.context.diagnostics) {
    const replacement = replacementOf(d);
    if (replacement === undefined) continue;
    actions.push({
      title: `Change to '${replacement}'`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: { changes: { [params.textDocument.uri]: [{ range: d.range, newText: replacement }] } },
    });
  }
  return actions;
}
