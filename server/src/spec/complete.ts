/**
 * Completion for specs, computed from the spec schema (keys, enum values, snippets of steps and model families)
 * and from the data (column names where a column is expected, file paths for `data.source`), so that the language
 * server offers exactly what the validator and the data checks accept. Works on half-typed text: the token being
 * typed is replaced by a placeholder before parsing, so the enclosing map or list is found as YAML reads it.
 */
import { LineCounter, parseDocument, stringify, type Document } from 'yaml';
import type { Position, Range } from '../../../protocol/protocol';
import { valueRole } from './columnPaths';
import { generatedNames } from './semantic';
import { keyAt, placeholderAt } from './locate';
import { schemaAt, type SchemaNode } from './schema';

export interface SpecCompletion {
  label: string;
  kind: 'key' | 'value' | 'column' | 'file' | 'folder' | 'snippet';
  /** Markdown documentation from the schema (or the column's statistics). */
  documentation?: string;
  /** A short detail shown beside the label (a column's type, "snippet"). */
  detail?: string;
  /** The text that replaces `range` (a snippet with ${n:…} tab stops when kind is 'snippet'). */
  insertText: string;
  range: Range;
}

/** What completion knows beyond the text: the data's columns and the files near the spec. */
export interface CompletionData {
  /** The CSV's columns, with a detail (type) and documentation (statistics) each. */
  columns?: { name: string; detail?: string; documentation?: string }[];
  /** The target column's classes (its distinct values, when it has at most 100), for an explainer's `output`. */
  classes?: { target: string; values: readonly string[] };
  /** Lists a folder for `data.source` (`dir` as typed, relative to the spec's folder; '' for the spec's folder). */
  listDir?: (dir: string) => { name: string; isDirectory: boolean }[];
}

const PLACEHOLDER = 'xai__cursor__';
const KEY_LINE = /^(\s*)((?:-\s+)*)([A-Za-z_][\w-]*)?$/;
/** The token being typed: back to a space or a YAML flow/quote character. */
const TYPED = /[^\s,[\]{}#'":]*$/;

/** Completions at a position: keys of the enclosing map (not yet present), allowed values, columns, files. */
export function completionsAt(text: string, position: Position, data: CompletionData = {}): SpecCompletion[] {
  // Lines as an LSP client counts them; the probe below is parsed for its structure only.
  const lines = text.split(/\r\n|\r|\n/);
  const line = lines[position.line] ?? '';
  // A position past the end of its line (a client may send one) is taken as the line's end.
  position = { line: position.line, character: Math.min(position.character, line.length) };
  const before = line.slice(0, position.character);
  if (/(^|\s)#/.test(before)) return [];
  const typed = TYPED.exec(before)![0];
  const start = position.character - typed.length;
  const range = { start: { line: position.line, character: start }, end: position };

  // A value position (after `key: `, a list item, inside a flow list)? Probe with the placeholder as the token.
  const rest = line.slice(position.character).replace(/^[^\s,\]}#]*/, '');
  const probe = [...lines];
  // A flow list or map still open on this line (`[a, b` while typing) is closed in the probe, so that it parses.
  const open = [...line.slice(0, start)].reduce((n, ch) => n + (ch === '[' ? 1 : ch === ']' ? -1 : 0), 0);
  const closers = open > 0 && !rest.includes(']') ? ']'.repeat(open) : '';
  probe[position.line] = line.slice(0, start) + PLACEHOLDER + closers + rest;
  const found = placeholderAt(probe.join('\n'), PLACEHOLDER);
  if (found?.role === 'value') {
    const values = valueCompletions(found.path, typed, range, valueRole(found.path) === 'feature' ? withFeatureNames(found.doc, data) : data);
    if (values) return values;
  }
  const key = KEY_LINE.exec(before);
  if (key) return keyCompletions(lines, position, key[1]! + key[2]!, key[3] ?? '');
  return [];
}

/** Values for the scalar at `path`; undefined when the schema wants a map or list there (keys may fit instead). */
function valueCompletions(path: (string | number)[], typed: string, range: Range, data: CompletionData): SpecCompletion[] | undefined {
  const role = valueRole(path);
  if (role === 'source') return fileCompletions(typed, range, data);
  if (role === 'class') {
    const c = data.classes;
    return (c?.values ?? []).map((v) => ({ label: v, kind: 'value' as const, insertText: v, range, detail: `class of ${c!.target}` }));
  }
  if (role === 'column' || role === 'feature') {
    return (data.columns ?? []).map((c) => ({
      label: c.name, kind: 'column' as const, insertText: c.name, range,
      ...(c.detail ? { detail: c.detail } : {}), ...(c.documentation ? { documentation: c.documentation } : {}),
    }));
  }
  const schema = schemaAt(path);
  if (!schema || schema.type === 'object' || schema.type === 'array') return undefined;
  const allowed = allowedValues(schema);
  if (!allowed.length) return schema.type ? [] : undefined;
  return allowed.map((v) => ({ label: String(v), kind: 'value' as const, insertText: String(v), range, ...docOf(schema) }));
}

/** For a feature: the columns but the target and those listed already, then the columns the steps make. */
function withFeatureNames(probe: Document, data: CompletionData): CompletionData {
  type Raw = { data?: { target?: unknown; features?: unknown }; preprocessing?: unknown } | null;
  const raw = ((): Raw => {
    try {
      return probe.toJS({ maxAliasCount: 100 }) as Raw;
    } catch {
      return null; // half-typed text: no generated names
    }
  })();
  const steps = Array.isArray(raw?.preprocessing) ? raw.preprocessing as unknown[] : [];
  const target = raw?.data?.target;
  const lagged = generatedNames(steps);
  // Not the target, and not a feature listed already (the item being typed is the placeholder in the probe).
  const listed = new Set(Array.isArray(raw?.data?.features) ? raw.data.features.filter((f): f is string => typeof f === 'string') : []);
  const columns = (data.columns ?? []).filter((c) => c.name !== target && !listed.has(c.name));
  const offered = new Set(columns.map((c) => c.name));
  return { ...data, columns: [...columns, ...lagged.filter((n) => !offered.has(n) && !listed.has(n)).map((name) => ({ name, detail: 'made by a step' }))] };
}

function fileCompletions(typed: string, range: Range, data: CompletionData): SpecCompletion[] {
  if (!data.listDir) return [];
  const slash = typed.lastIndexOf('/');
  const dir = slash >= 0 ? typed.slice(0, slash + 1) : '';
  const entries = data.listDir(dir).filter((e) => !e.name.startsWith('.'));
  const items: SpecCompletion[] = entries
    .filter((e) => e.isDirectory || /\.(csv|tsv|txt|parquet|pq)$/i.test(e.name))
    .sort((a, b) => Number(b.isDirectory) - Number(a.isDirectory) || (a.name < b.name ? -1 : 1))
    .map((e) => ({ label: e.isDirectory ? `${e.name}/` : e.name, kind: e.isDirectory ? 'folder' as const : 'file' as const, insertText: `${dir}${e.name}${e.isDirectory ? '/' : ''}`, range }));
  if (!dir || /^(\.\.\/)+$/.test(dir)) items.push({ label: '../', kind: 'folder', insertText: `${dir}../`, range });
  return items;
}

function allowedValues(schema: SchemaNode | undefined): unknown[] {
  if (!schema) return [];
  if (schema.enum) return schema.enum;
  if (schema.const !== undefined) return [schema.const];
  if (schema.type === 'boolean') return [true, false];
  return (schema.anyOf ?? (schema.oneOf as SchemaNode[] | undefined) ?? []).flatMap((s) => s.enum ?? (s.const !== undefined ? [s.const] : []));
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
  const keys = Object.entries(parent?.properties ?? {})
    .filter(([k]) => !present.has(k))
    .map(([k, child]) => {
      const resolved = schemaAt([...parentPath, k]);
      const container = resolved?.type === 'object' || resolved?.type === 'array';
      return { label: k, kind: 'key' as const, insertText: container ? `${k}:` : `${k}: `, range, ...docOf(resolved ?? child) };
    });
  return [...keys, ...snippets(parentPath, keys.map((k) => k.label), prefix.length, range)];
}

/**
 * Snippets: a whole preprocessing step or explanation method (a list item's single key) with its defaults, and
 * one whole `model:` section per model family. Tab stops on every scalar; indentation computed for `column`
 * (the key's column), inserted as is.
 */
function snippets(parentPath: (string | number)[], offered: string[], column: number, range: Range): SpecCompletion[] {
  const out: SpecCompletion[] = [];
  const isStep = parentPath.length === 2 && typeof parentPath[1] === 'number' && (parentPath[0] === 'preprocessing' || parentPath[0] === 'explanation');
  if (isStep) {
    for (const key of offered) {
      const schema = schemaAt([...parentPath, key]);
      const body = schema?.default;
      if (body === undefined || body === null || typeof body !== 'object') continue;
      out.push(snippet(`${key} …`, key, body, column, range, schema));
    }
  }
  if (parentPath.length === 0 && offered.includes('model')) {
    const model = schemaAt(['model']);
    const families = modelFamilies(model);
    for (const { name, body, doc } of families) out.push(snippet(`model: ${name} …`, 'model', body, column, range, doc));
  }
  return out;
}

/** Each model family's default section: from the `anyOf`/`oneOf` variants when the schema has them, else the default. */
function modelFamilies(model: SchemaNode | undefined): { name: string; body: Record<string, unknown>; doc?: SchemaNode }[] {
  if (!model) return [];
  const variants = (model.oneOf ?? model.anyOf) as SchemaNode[] | undefined;
  const fromVariant = (v: SchemaNode): { name: string; body: Record<string, unknown>; doc?: SchemaNode } | undefined => {
    const resolved = v.$ref ? schemaRef(v.$ref) : v;
    const type = resolved?.properties?.type;
    const name = String(type?.const ?? type?.enum?.[0] ?? '');
    if (!name || !resolved) return undefined;
    const body = (resolved.default as Record<string, unknown> | undefined) ?? requiredDefaults(resolved, name);
    return { name, body: { type: name, ...body }, doc: resolved };
  };
  if (variants?.length) return variants.map(fromVariant).filter((x): x is NonNullable<typeof x> => !!x);
  const types = model.properties?.type?.enum ?? [];
  const base = (model.default as Record<string, unknown> | undefined) ?? {};
  return types.map((t) => ({ name: String(t), body: t === base.type ? base : { type: t }, doc: model }));
}

function schemaRef(ref: string): SchemaNode | undefined {
  return schemaAt([]) ? (schemaAt([])!.definitions?.[ref.replace(/^#\/definitions\//, '')]) : undefined;
}

function requiredDefaults(schema: SchemaNode, type: string): Record<string, unknown> {
  const out: Record<string, unknown> = { type };
  for (const k of schema.required ?? []) {
    const d = schema.properties?.[k]?.default;
    if (k !== 'type' && d !== undefined) out[k] = d;
  }
  return out;
}

function snippet(label: string, key: string, body: unknown, column: number, range: Range, doc?: SchemaNode): SpecCompletion {
  let stop = 0;
  const yaml = stringify(body, { indent: 2 }).trimEnd();
  // Every scalar after `key: ` or `- ` becomes a tab stop holding its default.
  const lines = yaml.split('\n').map((l) => l.replace(/^(\s*(?:- )?[\w-]+: |\s*- )([^\s{[].*)$/, (_, head: string, value: string) => `${head}\${${++stop}:${value.replace(/[$}\\]/g, '\\$&')}}`));
  const pad = ' '.repeat(column + 2);
  const text = `${key}:\n${lines.map((l) => pad + l).join('\n')}`;
  return { label, kind: 'snippet', detail: 'snippet', insertText: text, range, ...docOf(doc) };
}

/** Keys already in the map at `path` of the probe text (the placeholder excluded). */
function presentKeys(text: string, path: (string | number)[]): Set<string> {
  let node: unknown;
  try {
    node = parseDocument(text, { lineCounter: new LineCounter() }).toJS({ maxAliasCount: 100 }) as unknown;
  } catch {
    return new Set(); // aliases that do not resolve (the probe replaced their anchor's line): offer every key
  }
  for (const seg of path) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[String(seg)] : undefined;
  const keys = node !== null && typeof node === 'object' && !Array.isArray(node) ? Object.keys(node) : [];
  return new Set(keys.filter((k) => k !== PLACEHOLDER));
}

function docOf(schema: SchemaNode | undefined): { documentation?: string } {
  const text = schema?.markdownDescription ?? schema?.description;
  return text ? { documentation: text } : {};
}
