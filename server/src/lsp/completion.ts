/**
 * Completion of spec keys (those of the enclosing map not yet written) and of enum values, from the schema.
 */
import {
  CompletionItemKind, MarkupKind, type CompletionItem, type CompletionParams, type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { completionsAt } from '../spec/complete';

export function specCompletions(documents: TextDocuments<TextDocument>, params: CompletionParams): CompletionItem[] {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  return completionsAt(doc.getText(), params.position).map((c, i): CompletionItem => ({
    label: c.label,
    kind: c.kind === 'key' ? CompletionItemKind.Property : CompletionItemKind.EnumMember,
    // Keep the schema's order (the order of the spec's sections), not the alphabet.
    sortText: String(i).padStart(3, '0'),
    textEdit: { range: c.range, newText: c.insertText },
    ...(c.documentation ? { documentation: { kind: MarkupKind.Markdown, value: c.documentation } } : {}),
  }));
}
