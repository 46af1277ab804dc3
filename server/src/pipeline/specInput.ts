/**
 * Reads a spec for the engine: a spec with errors stops the run with the diagnostics, located as `file:line:col`.
 */
import { loadSpecFile } from '../spec/check';
import type { ParsedSpec, SpecDiagnostic } from '../spec/parse';
import type { PipelineSpec } from '../spec/types';

/** `file:line:col: severity: message [code]`, with 1-based line and column (as compilers print them). */
export function formatDiagnostic(file: string, d: SpecDiagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}

/** A spec that cannot run: its error diagnostics. */
export class SpecError extends Error {
  constructor(readonly file: string, readonly diagnostics: SpecDiagnostic[]) {
    super(`the spec has ${diagnostics.length} error(s):\n${diagnostics.map((d) => formatDiagnostic(file, d)).join('\n')}`);
    this.name = 'SpecError';
  }
}

/** The parsed, checked spec with its defaults. @throws SpecError when it has errors. */
export function readSpec(specPath: string): { parsed: ParsedSpec; spec: PipelineSpec } {
  const { parsed, diagnostics } = loadSpecFile(specPath);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !parsed.spec) throw new SpecError(specPath, errors);
  return { parsed, spec: parsed.spec };
}
