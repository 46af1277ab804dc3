/**
 * Turns ajv's errors into one diagnostic per real problem, on the range of the offending key or value.
 *
 * ajv reports with `allErrors` every failed keyword, which is noisy: an `anyOf` fails once per branch, a value
 * of the wrong type may also fail `enum`, and a misspelled key is also a missing one. The rules here:
 * branch errors inside `anyOf` are folded into the `anyOf`; one value problem per path (type first); a missing key
 * is dropped when an unknown key beside it is its likely misspelling.
 */
import type { ErrorObject } from 'ajv';
import { stringify } from 'yaml';
import { TRAINING_DEFAULTS } from './defaults';
import type { SpecDiagnostic, SpecFix } from './parse';
import type { SpecRanges } from './ranges';
import type { SchemaNode } from './schema';
import { schemaAt } from './schema';
import { closestMatch } from './suggest';

type Path = (string | number)[];

/** '/preprocessing/0/lags' → ['preprocessing', 0, 'lags'] (JSON pointer, RFC 6901). */
export function pointerToPath(pointer: string, data: unknown): Path {
  if (!pointer) return [];
  const path: Path = [];
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const step: string | number = Array.isArray(node) ? Number(seg) : seg;
    path.push(step);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[String(step)] : undefined;
  }
  return path;
}

/** 'preprocessing[0].lags.count', the way a user reads a path. */
export function pathLabel(path: readonly (string | number)[]): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s ? `.${seg}` : seg;
  return s || 'the spec';
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let node = data;
  for (const seg of path) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[String(seg)] : undefined;
  return node;
}

const TYPE_NAMES: Record<string, string> = {
  integer: 'a whole number', number: 'a number', string: 'text', boolean: 'true or false',
  object: 'a map of keys (key: value)', array: 'a list (- item)', null: 'empty',
};

/** How a value reads in a message: `the text "abc"`, `12.5`, `a list`, `empty`. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return `the text "${v.length > 40 ? v.slice(0, 37) + '…' : v}"`;
  return String(v);
}

function expectedType(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_NAMES[String(t)] ?? String(t)).join(' or ');
}

/** What a step list calls its items, for messages about single-key steps. */
function stepNoun(path: Path): string {
  return path[0] === 'explanation' ? 'An explanation step' : path[0] === 'preprocessing' ? 'A preprocessing step' : 'This item';
}

/** At most this many schema problems become diagnostics (the rest are counted in one). */
export const MAX_SCHEMA_PROBLEMS = 100;

/** Maps ajv's errors for `data` to diagnostics (see the module comment for the dedupe rules). */
export function schemaDiagnostics(errors: readonly ErrorObject[], data: unknown, ranges: SpecRanges): SpecDiagnostic[] {
  const out: SpecDiagnostic[] = [];
  const error = (range: SpecDiagnostic['range'], code: string, message: string): void => {
    out.push({ range, severity: 'error', code, message });
  };

  // A spec with thousands of wrong keys gets the first MAX_SCHEMA_PROBLEMS and one line saying how many more.
  if (errors.length > MAX_SCHEMA_PROBLEMS) {
    const shown = schemaDiagnostics(errors.slice(0, MAX_SCHEMA_PROBLEMS), data, ranges);
    return [...shown, { range: ranges.firstLine(), severity: 'error', code: 'too-many-problems', message: `The spec has ${errors.length} problems with its keys and values; the first ${MAX_SCHEMA_PROBLEMS} are shown.` }];
  }

  // Unknown keys first: their suggestions decide which missing keys are the same problem.
  const suggestedAt = new Set<string>(); // `${parentPointer}\u0000${knownKey}`
  const presentAt = new Map<string, Set<string>>(); // parent pointer → its keys (one map of thousands of keys: once)
  for (const e of errors) {
    if (e.keyword !== 'additionalProperties') continue;
    const parent = pointerToPath(e.instancePath, data);
    const key = String((e.params as { additionalProperty: string }).additionalProperty);
    const known = Object.keys((e.parentSchema as SchemaNode | undefined)?.properties ?? {});
    let present = presentAt.get(e.instancePath);
    if (!present) presentAt.set(e.instancePath, present = new Set(Object.keys((valueAt(data, parent) as Record<string, unknown>) ?? {})));
    const suggestion = closestMatch(key, known.filter((k) => !present.has(k)));
    const where = parent.length ? `'${pathLabel(parent)}'` : 'the spec';
    let message = `Unknown key '${key}' in ${where}`;
    if (suggestion) {
      message += `; did you mean '${suggestion}'?`;
      suggestedAt.add(`${e.instancePath}\u0000${suggestion}`);
    } else message += `; expected one of: ${known.join(', ')}.`;
    error(ranges.keyRange([...parent, key]), 'unknown-key', message);
    if (suggestion) out[out.length - 1]!.replacement = suggestion;
  }

  for (const e of errors) {
    if (e.keyword !== 'required') continue;
    const missing = String((e.params as { missingProperty: string }).missingProperty);
    if (suggestedAt.has(`${e.instancePath}\u0000${missing}`)) continue;
    const parent = pointerToPath(e.instancePath, data);
    if (!parent.length) {
      error(ranges.firstLine(), 'missing-key', `Missing required key '${missing}' in the spec.`);
    } else {
      error(ranges.keyRange(parent), 'missing-key', `Missing required key '${missing}' in '${pathLabel(parent)}'.`);
    }
    const fix = addKeyFix(ranges, parent, missing);
    if (fix) out[out.length - 1]!.fixes = [fix];
  }

  // Value problems: one per path; the order of preference is type, then anyOf, then the rest as ajv found them.
  // An `if`/`then` failure ("must match then schema") is only the summary of the `then` branch's own errors.
  const valueErrors = errors
    .filter((e) => e.keyword !== 'additionalProperties' && e.keyword !== 'required' && e.keyword !== 'if' && !e.schemaPath.includes('/anyOf/'))
    .sort((a, b) => rank(a) - rank(b));
  const seen = new Set<string>();
  for (const e of valueErrors) {
    if (seen.has(e.instancePath)) continue;
    seen.add(e.instancePath);
    const d = valueDiagnostic(e, data, ranges);
    if (d) out.push(d);
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/**
 * "Add the missing 'training' section": the key with its schema default, appended at the end for a top-level
 * key, else inserted as the first key of its parent map. Undefined when there is no sensible place.
 */
function addKeyFix(ranges: SpecRanges, parent: Path, key: string): SpecFix | undefined {
  const schema = schemaAt([...parent, key]);
  let value = schema?.default;
  // An empty default map ({}) is spelled out, so the section shows what it holds: the engine's defaults for
  // `training`, else the keys the section requires.
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !Object.keys(value).length && schema?.properties) {
    value = !parent.length && key === 'training' ? { ...TRAINING_DEFAULTS } : Object.fromEntries((schema.required ?? [])
      .map((k) => [k, schema.properties?.[k]?.default]).filter(([, v]) => v !== undefined));
  }
  const title = `Add the missing '${key}'`;
  if (!parent.length) {
    const body = value !== undefined && typeof value === 'object' ? `\n${indentBlock(stringify(value).trimEnd(), 2)}` : ` ${scalarYaml(value)}`;
    return { title, edits: [ranges.appendAtEnd(`${key}:${body}`)] };
  }
  if (value !== null && typeof value === 'object') return undefined;
  const edit = ranges.insertKey(parent, key, scalarYaml(value));
  return edit ? { title, edits: [edit] } : undefined;
}

function scalarYaml(v: unknown): string {
  return v === undefined || v === null ? '' : stringify(v).trimEnd();
}

function indentBlock(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text.split('\n').map((l) => (l ? pad + l : l)).join('\n');
}

function rank(e: ErrorObject): number {
  return e.keyword === 'type' ? 0 : e.keyword === 'anyOf' ? 1 : 2;
}

function valueDiagnostic(e: ErrorObject, data: unknown, ranges: SpecRanges): SpecDiagnostic | undefined {
  const path = pointerToPath(e.instancePath, data);
  const label = `'${pathLabel(path)}'`;
  const value = valueAt(data, path);
  const params = e.params as Record<string, unknown>;
  const make = (code: string, message: string, range = ranges.valueRange(path)): SpecDiagnostic =>
    ({ range, severity: 'error', code, message });

  switch (e.keyword) {
    case 'type':
      if (!path.length) {
        return make('wrong-type', value === null || value === undefined
          ? 'The spec is empty; it needs the keys version, name, data, model and training.'
          : `The spec must be a map of keys (version, name, data, …), not ${describeValue(value)}.`, ranges.firstLine());
      }
      return make('wrong-type', `${label} must be ${expectedType(params.type)}, not ${describeValue(value)}.`);
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      if (path.length === 1 && path[0] === 'version') {
        return make('invalid-value', `Unsupported spec version ${describeValue(value)}; this version of XAI Pipelines reads version 1.`);
      }
      const suggestion = typeof value === 'string' ? closestMatch(value, allowed.map(String)) : undefined;
      const d = make('invalid-value', `${label} must be one of ${allowed.map(String).join(', ')}, not ${describeValue(value)}` +
        (suggestion ? `; did you mean '${suggestion}'?` : '.'));
      return suggestion ? { ...d, replacement: suggestion } : d;
    }
    case 'anyOf': {
      const schema = schemaAt(path);
      const desc = schema?.description ?? 'one of the allowed forms';
      return make('invalid-value', `${label} must be ${desc.replace(/\.$/, '')}, not ${describeValue(value)}.`);
    }
    case 'minimum': return make('invalid-value', `${label} must be at least ${String(params.limit)}, not ${describeValue(value)}.`);
    case 'maximum': return make('invalid-value', `${label} must be at most ${String(params.limit)}, not ${describeValue(value)}.`);
    case 'exclusiveMinimum': return make('invalid-value', `${label} must be greater than ${String(params.limit)}, not ${describeValue(value)}.`);
    case 'exclusiveMaximum': return make('invalid-value', `${label} must be less than ${String(params.limit)}, not ${describeValue(value)}.`);
    case 'minLength': return make('invalid-value', `${label} must not be empty.`);
    case 'maxLength': return make('invalid-value', `${label} must be at most ${String(params.limit)} characters long.`);
    case 'pattern':
      if (path.length === 1 && path[0] === 'name') {
        return make('invalid-value', `'name' may hold only letters, digits, '.', '_' and '-', starting with a letter or digit (it names the run folder), not ${describeValue(value)}.`);
      }
      return make('invalid-value', `${label} must match ${String(params.pattern)}, not ${describeValue(value)}.`);
    case 'minItems': return make('invalid-value', `${label} must list at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}.`);
    case 'maxItems': return make('invalid-value', `${label} must list at most ${String(params.limit)} items.`);
    case 'uniqueItems': {
      const items = value as unknown[];
      // ajv scans from the end, so its i is the EARLIER of the two equal items: mark and remove the later one.
      const i = Math.max(Number(params.i), Number(params.j));
      const isFeatures = pathLabel(path) === 'data.features';
      const d = make(isFeatures ? 'duplicate-feature' : 'invalid-value', `${label} lists ${describeValue(items[i])} twice.`, ranges.valueRange([...path, i]));
      const edit = ranges.removeListItem(path, i);
      return edit ? { ...d, fixes: [{ title: `Remove the duplicate ${describeValue(items[i]).replace(/^the text /, '')}`, edits: [edit] }] } : d;
    }
    case 'minProperties':
      return make('invalid-value', `${stepNoun(path)} needs one key: ${Object.keys(schemaAt(path)?.properties ?? {}).join(', ')}.`);
    case 'maxProperties': {
      const keys = Object.keys((value as Record<string, unknown>) ?? {});
      return make('invalid-value', `${stepNoun(path)} has exactly one key, but this one has ${keys.length} (${keys.join(', ')}); start each step with '- '.`,
        ranges.keyRange([...path, keys[1] ?? '']));
    }
    default:
      return make('invalid-value', `${label} ${e.message ?? 'is not valid'}.`);
  }
}
