/**
 * Semantic checks of a parsed spec that need the file system: the data source exists and is readable, and the
 * data-aware checks against its columns and rows. Runs on the raw data, so that it reports alongside schema
 * errors (a spec can have both).
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { dataAccessProblem } from './dataAccess';
import { dataProfile, isProfile, type DataProfile, type DataProfileError } from './dataProfile';
import { parseSpec, type ParsedSpec, type SpecDiagnostic } from './parse';
import { semanticChecks } from './semantic';

/** Absolute path of a spec's data source: `data.source` resolved against the spec file's folder. */
export function resolveDataPath(specPath: string, source: string): string {
  return resolve(dirname(specPath), source);
}

/** The profile of the spec's data source (cached; see `dataProfile`), or undefined when `data.source` is absent. */
export function specDataProfile(parsed: ParsedSpec, specPath: string): DataProfile | DataProfileError | undefined {
  const raw = parsed.raw as { data?: { source?: unknown } } | null;
  const source = raw?.data?.source;
  if (typeof source !== 'string' || source.length === 0) return undefined;
  const path = resolveDataPath(specPath, source);
  const refused = dataAccessProblem(path);
  return refused ? { error: refused } : dataProfile(path);
}

/**
 * Checks what the schema cannot: that `data.source` (relative to the folder of the spec at `specPath`) is a
 * readable CSV file (`data-file-missing`, `data-file-unreadable` on the source value's range), then the
 * data-aware semantic checks (`semantic.ts`) against its profile. Never throws.
 */
export function checkSpec(parsed: ParsedSpec, specPath: string): SpecDiagnostic[] {
  const raw = parsed.raw as { data?: { source?: unknown } } | null;
  const source = raw?.data?.source;
  const out: SpecDiagnostic[] = [];
  let profile: DataProfile | undefined;
  if (typeof source === 'string' && source.length > 0) {
    const path = resolveDataPath(specPath, source);
    const refused = dataAccessProblem(path);
    const problem = refused ? undefined : fileProblem(path);
    const range = parsed.rangeOf(['data', 'source']) ?? parsed.rangeOf(['data', 'source'], 'key');
    if (refused) {
      if (range) out.push({ range, severity: 'error', code: 'data-outside-workspace', message: `Data file '${source}' ${refused}.` });
    } else if (problem) {
      if (range) out.push({ range, severity: 'error', code: 'data-file-missing', message: `Data file '${source}' ${problem} (looked for ${path}).` });
    } else {
      const p = dataProfile(path);
      if (isProfile(p)) profile = p;
      else if (range) out.push({ range, severity: 'error', code: 'data-file-unreadable', message: `Data file '${source}' ${p.error}.` });
    }
  }
  return [...out, ...semanticChecks(parsed, profile)];
}

function fileProblem(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return 'is not a file';
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist' : `cannot be read (${code ?? 'error'})`;
  }
}

/**
 * Reads, parses and checks a spec file: the CLI's and the worker's entry to the spec language.
 * `diagnostics` holds the parse diagnostics and the semantic checks' (a file that cannot be read gives one
 * `spec-file-unreadable` error). Never throws.
 */
export function loadSpecFile(specPath: string): { parsed: ParsedSpec; diagnostics: SpecDiagnostic[] } {
  let text: string;
  try {
    text = readFileSync(specPath, 'utf8');
  } catch (err) {
    const parsed = parseSpec('');
    const d: SpecDiagnostic = {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'error',
      code: 'spec-file-unreadable', message: `Cannot read the spec ${specPath}: ${(err as Error).message}`,
    };
    return { parsed: { ...parsed, spec: null, diagnostics: [d] }, diagnostics: [d] };
  }
  const parsed = parseSpec(text);
  const diagnostics = byPosition([...parsed.diagnostics, ...checkSpec(parsed, specPath)]);
  const hasErrors = diagnostics.some((d) => d.severity === 'error');
  return { parsed: { ...parsed, spec: hasErrors ? null : parsed.spec, diagnostics }, diagnostics };
}

/** Diagnostics in reading order (line, then column); stable for equal positions. */
export function byPosition(diagnostics: SpecDiagnostic[]): SpecDiagnostic[] {
  return [...diagnostics].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
