/**
 * Hover on a spec key: the key's documentation from the spec schema (its markdownDescription and allowed values),
 * the same text editors show from `schemas/xai-pipeline.schema.json`; on a column name: the column's type, missing
 * share, min/mean/max or top categories, from the CSV.
 */
import { MarkupKind, type Hover, type HoverParams, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { keyAt } from '../spec/locate';
import { schemaAt } from '../spec/schema';
import { columnHover } from '../spec/specData';
import { dataCheckPathOf } from './specDocuments';

/** The hover for a position, or null when it is not on a known key. */
export function specHover(documents: TextDocuments<TextDocument>, params: HoverParams): Hover | null {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  const path = dataCheckPathOf(params.textDocument.uri);
  const column = path ? columnHover(doc.getText(), params.position, path) : undefined;
  if (column) return { contents: { kind: MarkupKind.Markdown, value: column.markdown }, range: column.range };
  const key = keyAt(doc.getText(), params.position);
  if (!key) return null;
  const schema = schemaAt(key.path);
  const text = schema?.markdownDescription ?? schema?.description;
  if (!schema || !text) return null;
  const lines = [`**${String(key.path[key.path.length - 1])}**`, '', text];
  if (schema.enum) lines.push('', `Allowed: ${schema.enum.map((v) => `\`${String(v)}\``).join(', ')}`);
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: key.range };
}
