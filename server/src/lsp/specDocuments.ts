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

/**
 * Whether the workspace is trusted (the client says so in `initializationOptions.workspaceTrusted` and with
 * `xai/workspaceTrust`). Untrusted: the server works on the spec text only; it reads no data or run files.
 */
let workspaceTrusted = true;
export function setWorkspaceTrusted(trusted: boolean): void { workspaceTrusted = trusted; }
export function isWorkspaceTrusted(): boolean { return workspaceTrusted; }

/** The message for everything an untrusted workspace does not do. */
export const UNTRUSTED_MESSAGE = 'This workspace is not trusted: XAI Pipelines checks the spec text only and reads no data files, trains nothing and writes nothing. Trust the workspace (Manage Workspace Trust) to train.';

/** Why an untrusted workspace's spec is not checked against its data (the diagnostic on `data.source`). */
export const UNTRUSTED_DATA_MESSAGE = 'Not checked against its data: this workspace is not trusted, so XAI Pipelines reads no data files and trains nothing. Trust the workspace (Manage Workspace Trust) to check the columns and train.';

/**
 * The spec's path for the checks that read files beside it (its data, its runs): `specPathOf`, or undefined in
 * an untrusted workspace, where those checks are skipped.
 */
export function dataCheckPathOf(uri: string): string | undefined {
  return workspaceTrusted ? specPathOf(uri) : undefined;
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
