/**
 * Quick fixes from the diagnostics this server published: a did-you-mean (`data.replacement`, e.g. `targt` →
 * `target`) offers "Change to 'target'", which replaces the diagnostic's range; a diagnostic with `data.fixes`
 * (remove a duplicate feature, move the target out of the features, a column's nearest names, add a missing
 * section) offers each of them, the first preferred.
 */
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';

interface Fix { title: string; edits: TextEdit[] }

/** The replacement a diagnostic published by this server carries, if any. */
function replacementOf(d: Diagnostic): string | undefined {
  if (d.source !== 'xai-pipelines') return undefined;
  const data = d.data as { replacement?: unknown } | undefined;
  return typeof data?.replacement === 'string' ? data.replacement : undefined;
}

/** The fixes a diagnostic published by this server carries (shape-checked: data comes back from the client). */
function fixesOf(d: Diagnostic): Fix[] {
  if (d.source !== 'xai-pipelines') return [];
  const fixes = (d.data as { fixes?: unknown } | undefined)?.fixes;
  if (!Array.isArray(fixes)) return [];
  return fixes.filter((f): f is Fix => typeof (f as Fix)?.title === 'string' && Array.isArray((f as Fix).edits));
}

/** The quick fixes for the diagnostics in the request's context, one preferred per diagnostic. */
export function specCodeActions(params: CodeActionParams): CodeAction[] {
  const actions: CodeAction[] = [];
  const uri = params.textDocument.uri;
  for (const d of params.context.diagnostics) {
    const replacement = replacementOf(d);
    if (replacement !== undefined) {
      actions.push({
        title: `Change to '${replacement}'`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true,
        edit: { changes: { [uri]: [{ range: d.range, newText: replacement }] } },
      });
    }
    fixesOf(d).forEach((f, i) => {
      actions.push({
        title: f.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: replacement === undefined && i === 0,
        edit: { changes: { [uri]: f.edits } },
      });
    });
  }
  return actions;
}
