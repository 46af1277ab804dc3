/**
 * Parses a `*.xai.yaml` spec with the `yaml` package, keeping node ranges, into a typed PipelineSpec.
 * STUB laid by the lead: parses YAML and maps ranges; validation against the schema is still to come.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Range } from '../../../protocol/protocol';
import type { PipelineSpec } from './types';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** One problem in a spec, on the exact range of the offending key or value. */
export interface SpecDiagnostic {
  range: Range;
  severity: Severity;
  /** Stable code, e.g. `yaml-syntax`, `unknown-key`, `missing-key`, `wrong-type`, `data-file-missing`. */
  code: string;
  message: string;
}

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
}

/** Parses spec text. Never throws: every problem becomes a diagnostic. */
export function parseSpec(text: string): ParsedSpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false, prettyErrors: false });
  const toRange = (offsets: readonly [number, number] | [number, number, number] | undefined): Range | undefined => {
    if (!offsets) return undefined;
    const a = lineCounter.linePos(offsets[0]);
    const b = lineCounter.linePos(offsets[1]);
    return { start: { line: a.line - 1, character: a.col - 1 }, end: { line: b.line - 1, character: b.col - 1 } };
  };
  const diagnostics: SpecDiagnostic[] = doc.errors.map((e) => ({
    range: toRange([e.pos[0], e.pos[1]]) ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 'error' as const, code: 'yaml-syntax', message: e.message,
  }));
  const raw = doc.errors.length ? null : (doc.toJS({ maxAliasCount: 100 }) as unknown);
  const rangeOf = (path: SpecPath, part: 'key' | 'value' = 'value'): Range | undefined => {
    let node: unknown = doc.contents;
    let keyNode: unknown;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && p.key.value === seg);
        if (!pair) return undefined;
        keyNode = pair.key; node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg]; keyNode = undefined;
      } else return undefined;
    }
    const target = (part === 'key' ? keyNode : node) as Node | undefined;
    return toRange(target?.range ?? undefined);
  };
  return { text, raw, spec: (raw as PipelineSpec | null) ?? null, diagnostics, rangeOf };
}
