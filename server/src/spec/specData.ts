/**
 * What the editor features learn from the data a spec points at: the columns for completion (with their type and
 * statistics), the folders near the spec for `data.source`, and a column's statistics for hover. Reads the spec
 * leniently (half-typed text still names its source) and the CSV through the cached profile.
 */
import { readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { Position, Range } from '../../../protocol/protocol';
import { resolveDataPath } from './check';
import { valueRole } from './columnPaths';
import type { CompletionData } from './complete';
import { dataAccessProblem } from './dataAccess';
import { columnOf, dataProfile, describeColumn, isProfile, type DataProfile } from './dataProfile';
import { scalarAt } from './locate';

/** `data.source` and `data.target` of a spec's text, read leniently (a syntax error elsewhere does not hide them). */
function dataRefsOf(text: string): { source?: string; target?: string } {
  const out: { source?: string; target?: string } = {};
  let data: Record<string, unknown> | undefined;
  try {
    data = (parseDocument(text).toJS({ maxAliasCount: 100 }) as { data?: Record<string, unknown> } | null)?.data;
  } catch { /* the line scan below */ }
  for (const key of ['source', 'target'] as const) {
    const value = data?.[key];
    const found = typeof value === 'string' && value ? value : new RegExp(`^\\s+${key}:[ \\t]+["']?([^"'#\\s]+)`, 'm').exec(text)?.[1];
    if (found) out[key] = found;
  }
  return out;
}

/** `data.source` of a spec's text, read leniently (a syntax error elsewhere does not hide it). */
export function sourceOf(text: string): string | undefined {
  return dataRefsOf(text).source;
}

/** The profile of the data a spec's text points at, or undefined (no source, unreadable file). */
export function profileForText(text: string, specPath: string, source = sourceOf(text)): DataProfile | undefined {
  if (!source) return undefined;
  const path = resolveDataPath(specPath, source);
  if (dataAccessProblem(path)) return undefined;
  const p = dataProfile(path);
  return isProfile(p) ? p : undefined;
}

const itemsOf = new WeakMap<DataProfile, NonNullable<CompletionData['columns']>>();

/** The columns as completion items, made once per profile (a profile is replaced when its file changes). */
function columnItems(profile: DataProfile): NonNullable<CompletionData['columns']> {
  let items = itemsOf.get(profile);
  if (!items) {
    items = profile.columns.map((c) => ({ name: c.name, detail: `${c.kind} column`, documentation: describeColumn(c, profile.rows).join('\n\n') }));
    itemsOf.set(profile, items);
  }
  return items;
}

/** Completion's view of the data and the file system around the spec at `specPath`. */
export function completionData(text: string, specPath: string): CompletionData {
  const { source, target } = dataRefsOf(text);
  const profile = profileForText(text, specPath, source);
  const specDir = dirname(specPath);
  const values = profile && target ? columnOf(profile, target)?.values : undefined;
  return {
    columns: profile ? columnItems(profile) : undefined,
    ...(target && values ? { classes: { target, values } } : {}),
    listDir: (dir) => {
      try {
        return readdirSync(resolve(specDir, dir), { withFileTypes: true }).map((e) => ({ name: e.name, isDirectory: e.isDirectory() }));
      } catch {
        return [];
      }
    },
  };
}

/**
 * Hover on a column name (target, features, filter, sort, lags): its type, missing share, min/mean/max or top
 * categories, as Markdown lines; undefined when the position is not on a known column.
 */
export function columnHover(text: string, position: Position, specPath: string): { markdown: string; range: Range } | undefined {
  const at = scalarAt(text, position);
  const role = at ? valueRole(at.path) : undefined;
  if (!at || !role || role === 'source' || role === 'class') return undefined;
  const profile = profileForText(text, specPath);
  const column = profile ? columnOf(profile, at.value) : undefined;
  if (!profile || !column) return undefined;
  return { markdown: describeColumn(column, profile.rows).join('\n\n'), range: at.range };
}
