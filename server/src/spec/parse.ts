/**
 * Parses a `*.xai.yaml` spec with the `yaml` package, keeping node ranges, validates it against the spec schema
 * (`schemas/xai-pipeline.schema.json`, ajv) and returns the typed PipelineSpec with its defaults applied.
 * Every problem becomes a diagnostic on the range of the offending key or value; nothing here throws.
 */
import { isScalar, parseDocument, visit, YAMLParseError, type Document, type YAMLError } from 'yaml';
import type { Range } from '../../../protocol/protocol';
import { applyDefaults } from './defaults';
import { offsetsToRange, SpecRanges, textLines, type TextEdit } from './ranges';
import { validateAgainstSchema } from './schema';
import { schemaDiagnostics } from './schemaErrors';
import type { PipelineSpec } from './types';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** One problem in a spec, on the exact range of the offending key or value. */
export interface SpecDiagnostic {
  range: Range;
  severity: Severity;
  /**
   * Stable code: `yaml-syntax`, `yaml-aliases`, `unknown-key`, `missing-key`, `wrong-type`, `invalid-value`,
   * `data-file-missing`, `spec-file-unreadable`, `duplicate-feature`, and the data-aware checks' codes
   * (`semantic.ts`, `runFeedback.ts`).
   */
  code: string;
  message: string;
  /** The text that fixes the problem when it replaces `range` (a did-you-mean), for quick fixes. */
  replacement?: string;
  /** Other quick fixes: each a title and the edits it makes (the first is the preferred one). */
  fixes?: SpecFix[];
}

/** A quick fix: "Remove the duplicate 'price'", and the text edits that make it. */
export interface SpecFix { title: string; edits: TextEdit[] }

export type SpecPath = (string | number)[];

export interface ParsedSpec {
  text: string;
  /** The YAML as plain JavaScript (null when the text is not YAML at all). */
  raw: unknown;
  /** The typed model; null when errors leave no trustworthy model. */
  spec: PipelineSpec | null;
  diagnostics: SpecDiagnostic[];
  /** The range of the key (`part: 'key'`) or value (default) at a path such as ['preprocessing', 0, 'lags']. */
  rangeOf(path: SpecPath, part?: 'key' | 'value'): Range | undefined;
  /** The document's node ranges and edit helpers (for checks that locate and fix). */
  ranges: SpecRanges;
}

/**
 * Alias expansions allowed when turning the YAML into data. A spec never needs many; a "billion laughs"
 * document (aliases of aliases) would otherwise expand exponentially and hang the server.
 */
export const MAX_ALIAS_COUNT = 100;

/**
 * Deeper `[`/`{` nesting is refused before the YAML parser sees the text. Specs nest a few levels; the parser
 * recurses once per level, and thousands of levels (found by the fuzz suite, test/fuzz/spec.fuzz.test.ts) end the
 * process: V8 fails fatally ("RegExpCompiler Allocation failed") when it compiles a regular expression that deep
 * in the stack.
 */
export const MAX_FLOW_NESTING = 64;

/** "Map keys must be unique" at every scalar key that repeats one of its map, as yaml's `uniqueKeys` reports it. */
function duplicateKeyErrors(doc: Document): YAMLParseError[] {
  const errors: YAMLParseError[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        if (seen.has(pair.key.value) && pair.key.range) errors.push(new YAMLParseError([pair.key.range[0], pair.key.range[0] + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
        seen.add(pair.key.value);
      }
    },
  });
  return errors;
}

/**
 * The offset of the first bracket that opens level `max + 1`, or undefined. Quoted scalars and comments are
 * skipped (roughly as YAML reads them: `"` with backslash escapes; `'` and `#` only where a token may start).
 */
function flowNestingBeyond(text: string, max: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const startOfToken = i === 0 || /[\s,[{:]/.test(text[i - 1]!);
    if (c === 0x22) { // "
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x27 && startOfToken) { // '
      for (i++; i < text.length; i++) if (text.charCodeAt(i) === 0x27) { if (text.charCodeAt(i + 1) === 0x27) i++; else break; }
    } else if (c === 0x23 && startOfToken) { // #
      while (i < text.length && text.charCodeAt(i) !== 0x0a) i++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return undefined;
}

/** Parses spec text. Never throws: every problem becomes a diagnostic. */
export function parseSpec(text: string): ParsedSpec {
  const lineCounter = textLines(text);
  const tooDeep = flowNestingBeyond(text, MAX_FLOW_NESTING);
  if (tooDeep !== undefined) {
    const diagnostics: SpecDiagnostic[] = [{
      range: offsetsToRange(lineCounter, tooDeep, tooDeep + 1), severity: 'error', code: 'yaml-nesting',
      message: `The spec nests brackets more than ${MAX_FLOW_NESTING} levels deep here; a spec needs a few levels.`,
    }];
    const empty = parseDocument('');
    return { text, raw: null, spec: null, diagnostics, rangeOf: () => undefined, ranges: new SpecRanges(empty, lineCounter, text) };
  }
  // yaml's own unique-key check compares each key with every earlier one (quadratic: 20 000 keys took 16 s);
  // duplicates are found here in one pass instead.
  const doc = parseDocument(text, { keepSourceTokens: false, prettyErrors: false, uniqueKeys: false });
  doc.errors.push(...duplicateKeyErrors(doc));
  doc.errors.sort((a, b) => a.pos[0] - b.pos[0]);
  const ranges = new SpecRanges(doc, lineCounter, text);
  const rangeOf = (path: SpecPath, part: 'key' | 'value' = 'value'): Range | undefined => ranges.rangeOf(path, part);
  // yaml may place an error one past the end of the text (an unclosed '[' at the end): clamp into the text.
  const clamp = (n: number): number => Math.max(0, Math.min(n, text.length));
  const yamlDiagnostic = (e: YAMLError, severity: Severity): SpecDiagnostic => ({
    range: offsetsToRange(lineCounter, clamp(e.pos[0]), clamp(Math.max(e.pos[0], e.pos[1]))),
    severity, code: 'yaml-syntax', message: firstLine(e.message),
  });

  const diagnostics: SpecDiagnostic[] = [
    ...doc.errors.map((e) => yamlDiagnostic(e, 'error')),
    ...doc.warnings.map((e) => yamlDiagnostic(e, 'warning')),
  ];
  if (doc.errors.length) return { text, raw: null, spec: null, diagnostics, rangeOf, ranges };

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // yaml throws a ReferenceError when aliases expand beyond maxAliasCount (or an alias is unresolvable).
    diagnostics.push({
      range: ranges.firstLine(), severity: 'error', code: 'yaml-aliases',
      message: `The spec's YAML aliases expand too far (limit ${MAX_ALIAS_COUNT} expansions): ${firstLine((err as Error).message)}`,
    });
    return { text, raw: null, spec: null, diagnostics, rangeOf, ranges };
  }

  diagnostics.push(...schemaDiagnostics(validateAgainstSchema(raw), raw, ranges));
  const hasErrors = diagnostics.some((d) => d.severity === 'error');
  return { text, raw, spec: hasErrors ? null : applyDefaults(raw), diagnostics, rangeOf, ranges };
}

function firstLine(s: string): string {
  return s.split(/\r?\n/, 1)[0]!.trim();
}
