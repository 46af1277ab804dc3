/**
 * Where the server gets a spec's text and path: the editor's open document when there is one, else the file.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/** `file:` URI → absolute path; undefined for other schemes (untitled:, vscode-notebook-cell:, …). */
export function specPathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** Whether a URI names a spec file (`*.xai.yaml`), the files that get code lenses. */
export function isSpecUri(uri: string): boolean {
  return /\.xai\.yaml$/i.test(uri.split(/[?#]/, 1)[0] ?? '');
}

/** The spec's text: the open document's (unsaved edits included), else the file's; undefined when neither. */
export function specText(documents: TextDocuments<TextDocument>, uri: string): string | undefined {
  const doc = documents.get(uri);
  if (doc) return doc.getText();
  const path = specPathOf(uri);
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
