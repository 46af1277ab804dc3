/**
 * Reads a JSON file that came from elsewhere (a model file): bounded in size, strict JSON, and an error that says
 * where (line and column) instead of V8's offset-less "Unexpected token". jsonc-parser (VS Code's own JSON scanner)
 * locates the error; the value itself comes from JSON.parse, so it is exactly what JSON defines.
 */
import { readFileSync, statSync } from 'node:fs';
// The ESM build: the UMD main's dynamic requires defeat bundlers (esbuild keeps `require('./impl/format')`).
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser/lib/esm/main.js';

/** A run's own JSON artifacts (report, fitted preprocessing, model JSON) larger than this are refused unread. */
export const MAX_ARTIFACT_JSON_BYTES = 256 * 2 ** 20;

/**
 * The parsed content of `path`.
 * @param maxBytes files larger than this are refused before reading
 * @throws Error starting with `path`: unreadable, too large, or not JSON (with `line L, column C`, 1-based)
 */
export function readJsonFile(path: string, maxBytes: number): unknown {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > maxBytes) throw new Error(`${size} bytes; at most ${maxBytes} are read`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseJsonText(text, path);
}

/**
 * Strict JSON (no comments, no trailing commas) from `text`.
 * @throws Error `where:line:column: <what>` at the first syntax error (1-based line and column)
 */
export function parseJsonText(text: string, where: string): unknown {
  const errors: ParseError[] = [];
  try {
    parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch (e) {
    // A recursive-descent parser meets its stack limit on absurd nesting ([[[[…]]]] a million deep).
    throw new Error(`${where}: not read as JSON (${(e as Error).message})`);
  }
  if (errors.length > 0) {
    const e = errors[0]!;
    const before = text.slice(0, e.offset);
    const line = before.split('\n').length;
    const column = e.offset - before.lastIndexOf('\n');
    throw new Error(`${where}:${line}:${column}: not valid JSON (${printParseErrorCode(e.error)})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    // jsonc-parser accepts a few texts JSON.parse refuses (e.g. lone surrogates are fine in both; this is a guard).
    throw new Error(`${where}: not valid JSON (${(e as Error).message})`);
  }
}
