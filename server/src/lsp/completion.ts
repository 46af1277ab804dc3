/**
 * Completion of spec keys (those of the enclosing map not yet written), enum values, snippets of steps and model
 * families, column names from the CSV and file paths for `data.source`.
 */
import {
  CompletionItemKind, InsertTextFormat, InsertTextMode, MarkupKind, type CompletionItem, type CompletionParams, type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { completionsAt, type SpecCompletion } from '../spec/complete';
import { completionData } from '../spec/specData';
import { dataCheckPathOf } from './specDocuments';

const KIND: Record<SpecCompletion['kind'], CompletionItemKind> = {
  key: CompletionItemKind.Property, value: CompletionItemKind.EnumMember, column: CompletionItemKind.Field,
  file: CompletionItemKind.File, folder: CompletionItemKind.Folder, snippet: CompletionItemKind.Snippet,
};

export function specCompletions(documents: TextDocuments<TextDocument>, params: CompletionParams): CompletionItem[] {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const text = doc.getText();
  const path = dataCheckPathOf(params.textDocument.uri);
  return completionsAt(text, params.position, path ? completionData(text, path) : {}).map((c, i): CompletionItem => ({
    label: c.label,
    kind: KIND[c.kind],
    // Keep the order given (the schema's, the CSV header's), not the alphabet.
    sortText: String(i).padStart(3, '0'),
    textEdit: { range: c.range, newText: c.insertText },
    ...(c.detail ? { detail: c.detail } : {}),
    // Snippets carry their own indentation; folders re-open completion after the slash.
    ...(c.kind === 'snippet' ? { insertTextFormat: InsertTextFormat.Snippet, insertTextMode: InsertTextMode.asIs } : {}),
    ...(c.kind === 'folder' ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
    ...(c.documentation ? { documentation: { kind: MarkupKind.Markdown, value: c.documentation } } : {}),
  }));
}
