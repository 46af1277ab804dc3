/**
 * Parses a `*.xai.yaml` spec with the `yaml` package, keeping node ranges, validates it against the spec schema
 * (`schemas/xai-pipeline.schema.json`, ajv) and returns the typed PipelineSpec with its defaults applied.
 * Every problem becomes a diagnostic on the range of the offending key or value; nothing here throws.
 */
import { parseDocument, type YAMLError } from 'yaml';
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

/** Parses spec text. Never throws: every problem becomes a diagnostic. */
export function parseSpec(text: string): ParsedSpec {
  const lineCounter = textLines(text);
  const doc = parseDocument(text, { keepSourceTokens: false, prettyErrors: false, uniqueKeys: true });
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
