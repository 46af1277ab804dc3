/**
 * A first spec for a user's CSV ("New Pipeline"): guesses the target and the task from the data profile and writes
 * a spec that trains as it is (split, imputation when cells are missing, one-hot for categorical features,
 * standardization, a small MLP, permutation importance). The user edits it from there.
 */
import type { ColumnProfile, DataProfile } from './dataProfile';

/** Column names that usually hold what is predicted (whole name or one of its words, any case). */
const TARGET_WORDS = ['target', 'label', 'class', 'species', 'price', 'outcome', 'y'];
/** A text column with at most this many distinct values is categorical (one-hot); more looks like an id or free text. */
const MAX_CATEGORIES = 20;
/** A numeric target of whole numbers with at most this many distinct values is taken as class labels. */
const MAX_NUMERIC_CLASSES = 10;

export interface ScaffoldResult {
  text: string;
  target: string;
  task: 'regression' | 'classification';
  /** The feature columns the spec lists, in file order. */
  features: string[];
  /** Columns left out, each with its reason (dates, ids, free text, empty). */
  skipped: { column: string; reason: string }[];
}

/**
 * The target column: the first whose name (or a word of it) is one of TARGET_WORDS, else the last column.
 * @throws Error when the profile has fewer than two columns (nothing to predict from).
 */
export function guessTarget(columns: readonly ColumnProfile[]): ColumnProfile {
  if (columns.length < 2) throw new Error(`a pipeline needs at least two columns (a target and a feature); the file has ${columns.length}`);
  const words = (name: string): string[] => name.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const named = columns.find((c) => c.kind !== 'empty' && words(c.name).some((w) => TARGET_WORDS.includes(w)));
  return named ?? columns[columns.length - 1]!;
}

/** Classification for text (categorical) targets and whole-number targets with few values; regression otherwise. */
export function guessTask(target: ColumnProfile): 'regression' | 'classification' {
  if (target.kind !== 'numeric') return 'classification';
  return target.integer && target.distinct <= MAX_NUMERIC_CLASSES ? 'classification' : 'regression';
}

/** A YAML scalar for a column name: plain when safe, else double-quoted (JSON strings are valid YAML). */
function yamlName(name: string): string {
  return /^[A-Za-z_.][A-Za-z0-9_./-]*$/.test(name) && !['true', 'false', 'null', 'yes', 'no', 'on', 'off'].includes(name.toLowerCase()) ? name : JSON.stringify(name);
}

/** The spec's `name`: letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export function specNameFor(fileBase: string): string {
  const name = fileBase.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').replace(/-+$/, '');
  return (name || 'pipeline').slice(0, 64);
}

/**
 * The spec text for the CSV profiled in `profile`, read from `source` (the path written into `data.source`,
 * relative to the spec).
 * @param name the spec's `name` (see `specNameFor`).
 * @throws Error when the file has no usable feature column or fewer than two columns.
 */
export function scaffoldSpec(profile: Pick<DataProfile, 'rows' | 'columns'>, source: string, name: string): ScaffoldResult {
  const target = guessTarget(profile.columns);
  const task = guessTask(target);
  const features: string[] = [];
  const skipped: { column: string; reason: string }[] = [];
  let categorical = false;
  let missing = false;
  for (const c of profile.columns) {
    if (c === target) continue;
    if (c.kind === 'empty') { skipped.push({ column: c.name, reason: 'empty' }); continue; }
    if (c.kind === 'date') { skipped.push({ column: c.name, reason: 'a date (add date_parts to use it)' }); continue; }
    if (c.kind === 'text' && (c.distinct > MAX_CATEGORIES || c.distinct > profile.rows / 2)) {
      skipped.push({ column: c.name, reason: `${c.distinct} distinct texts: an id or free text` });
      continue;
    }
    if (c.kind === 'text') categorical = true;
    if (c.missing > 0) missing = true;
    features.push(c.name);
  }
  if (!features.length) throw new Error(`no column can be a feature for the target '${target.name}' (${skipped.map((s) => `${s.column}: ${s.reason}`).join('; ') || 'no other column'})`);

  const lines = [
    `# Made by "XAI Pipelines: New Pipeline from CSV" from ${source} (${profile.rows} rows).`,
    `# Target guessed: ${target.name} (${target.kind === 'numeric' ? 'numbers' : 'categories'}, ${target.distinct} distinct) → ${task}.`,
    ...(skipped.length ? [`# Left out: ${skipped.map((s) => `${s.column} (${s.reason})`).join(', ')}.`] : []),
    'version: 1',
    `name: ${name}`,
    `task: ${task}`,
    '',
    'data:',
    `  source: ${yamlName(source)}`,
    `  target: ${yamlName(target.name)}`,
    '  features:',
    ...features.map((f) => `    - ${yamlName(f)}`),
    '',
    'preprocessing:',
    '  - split:',
    `      method: ${task === 'classification' ? 'stratified' : 'random'}`,
    '      validation: 0.2',
    '      seed: 7',
    ...(missing ? ['  - impute:', '      strategy: mean'] : []),
    ...(categorical ? ['  - one_hot:', '      unseen: ignore'] : []),
    '  - standardize:',
    '      columns: features',
    ...(task === 'regression' ? ['      target: true'] : []),
    '',
    'model:',
    '  type: mlp',
    '  hidden_layers:',
    '    - units: 16',
    '      activation: relu',
    '',
    'training:',
    '  optimizer: adam',
    '  learning_rate: 0.01',
    '  epochs: 50',
    '  batch_size: 16',
    '  seed: 42',
    '',
    'explanation:',
    '  - permutation_importance:',
    '      repeats: 5',
    '      split: validation',
    '',
  ];
  return { text: lines.join('\n'), target: target.name, task, features, skipped };
}
