/**
 * Completion for spec keys and enum values, computed from the spec schema, so that the language server offers
 * exactly what the validator accepts. Works on half-typed text: the line being typed is replaced by a
 * placeholder key before parsing, so the parent map is found from the indentation as YAML reads it.
 */
import { LineCounter, parseDocument } from 'yaml';
import type { Position, Range } from '../../../protocol/protocol';
import { keyAt } from './locate';
import { schemaAt, type SchemaNode } from './schema';

export interface SpecCompletion {
  label: string;
  kind: 'key' | 'value';
  /** Markdown documentation from the schema. */
  documentation?: string;
  /** The text that replaces `range`. */
  insertText: string;
  range: Range;
}

const PLACEHOLDER = 'xai__cursor__';
const KEY_LINE = /^(\s*)((?:-\s+)*)([A-Za-z_][\w-]*)?$/;
const VALUE_LINE = /^(\s*(?:-\s+)*)([A-Za-z_][\w-]*):[ \t]+([^\s#]*)$/;

/** Completions at a position: keys of the enclosing map (not yet present), or the allowed values of a key. */
export function completionsAt(text: string, position: Position): SpecCompletion[] {
  const lines = text.split('\n');
  const line = (lines[position.line] ?? '').replace(/\r$/, '');
  const before = line.slice(0, position.character);
  const value = VALUE_LINE.exec(before);
  if (value) return valueCompletions(text, position, value[1]!.length, value[2]!, value[3]!);
  const key = KEY_LINE.exec(before);
  if (key) return keyCompletions(lines, position, key[1]! + key[2]!, key[3] ?? '');
  return [];
}

function valueCompletions(text: string, position: Position, keyColumn: number, _key: string, typed: string): SpecCompletion[] {
  const found = keyAt(text, { line: position.line, character: keyColumn });
  if (!found) return [];
  const schema = schemaAt(found.path);
  const range = { start: { line: position.line, character: position.character - typed.length }, end: position };
  return allowedValues(schema).map((v) => ({ label: String(v), kind: 'value', insertText: String(v), range, ...docOf(schema) }));
}

function allowedValues(schema: SchemaNode | undefined): unknown[] {
  if (!schema) return [];
  if (schema.enum) return schema.enum;
  if (schema.type === 'boolean') return [true, false];
  return (schema.anyOf ?? []).flatMap((s) => s.enum ?? []);
}

function keyCompletions(lines: string[], position: Position, prefix: string, typed: string): SpecCompletion[] {
  // Parse the text with the current line as `<prefix>xai__cursor__: 0` to learn where a key here would go.
  const probe = [...lines];
  probe[position.line] = `${prefix}${PLACEHOLDER}: 0`;
  const probeText = probe.join('\n');
  const found = keyAt(probeText, { line: position.line, character: prefix.length });
  if (!found || found.path[found.path.length - 1] !== PLACEHOLDER) return [];
  const parentPath = found.path.slice(0, -1);
  const parent = schemaAt(parentPath);
  const present = presentKeys(probeText, parentPath);
  const range = { start: { line: position.line, character: position.character - typed.length }, end: position };
  return Object.entries(parent?.properties ?? {})
    .filter(([k]) => !present.has(k))
    .map(([k, child]) => {
      const resolved = schemaAt([...parentPath, k]);
      const container = resolved?.type === 'object' || resolved?.type === 'array';
      return { label: k, kind: 'key' as const, insertText: container ? `${k}:` : `${k}: `, range, ...docOf(resolved ?? child) };
    });
}

/** Keys already in the map at `path` of the probe text (the placeholder excluded). */
function presentKeys(text: string, path: (string | number)[]): Set<string> {
  let node: unknown = parseDocument(text, { lineCounter: new LineCounter() }).toJS({ maxAliasCount: 100 }) as unknown;
  for (const seg of path) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[String(seg)] : undefined;
  const keys = node !== null && typeof node === 'object' && !Array.isArray(node) ? Object.keys(node) : [];
  return new Set(keys.filter((k) => k !== PLACEHOLDER));
}

function docOf(schema: SchemaNode | undefined): { documentation?: string } {
  const text = schema?.markdownDescription ?? schema?.description;
  return text ? { documentation: text } : {};
}
