/**
 * Data-aware semantic checks of a spec: what neither YAML nor the schema can know, because it depends on the
 * CSV the spec points at (its columns, their types, its row count) or on how keys combine (the target used as a
 * feature, an explainer that does not fit the model).
 *
 * Pure: the spec's parse and the data profile in, diagnostics out (no file system, no LSP), so that the language
 * server and `xai check` report the same. Works on the raw YAML data, so that it reports alongside schema
 * errors; a key of the wrong type is skipped here (the schema reports it). Never throws.
 *
 * Codes: `unknown-column`, `target-in-features`, `task-target-mismatch`, `split-no-data`, `split-rounds-to-zero`,
 * `lags-exceed-rows`, `learning-rate-high`, `epochs-high`, `batch-exceeds-training`, `explainer-model-mismatch`,
 * `model-task-mismatch`, `target-transform-task`, `output-not-a-class`, `unknown-class`.
 */
import { basename } from 'node:path';
import { columnOf, type DataProfile } from './dataProfile';
import { explainerFits, modelFitsTask } from './compat';
import { lagFeatureName, lagHorizon, lagShifts } from './features';
import type { ParsedSpec, SpecDiagnostic, SpecFix } from './parse';
import type { SpecPath } from './ranges';
import { editDistance } from './suggest';

type Raw = Record<string, unknown>;

const isMapValue = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** learning_rate above this is a warning: gradient steps this large usually diverge. */
export const LEARNING_RATE_WARN = 1;
/** epochs above this is a warning: slow, and almost always over-fitting without early stopping. */
export const EPOCHS_WARN = 10_000;
/** classification on a numeric target with more distinct values than this is a warning. */
export const CLASSIFICATION_MAX_CLASSES = 100;

/** A column reference in the spec: where it is and what it may name. */
interface ColumnRef { path: SpecPath; name: string; allowGenerated: boolean; role: string }

/**
 * The checks. `profile` is the data source's profile (undefined when there is no readable data file: then only
 * the checks that need no data run).
 */
export function semanticChecks(parsed: ParsedSpec, profile: DataProfile | undefined): SpecDiagnostic[] {
  const raw = parsed.raw;
  if (!isMapValue(raw)) return [];
  const out: SpecDiagnostic[] = [];
  const add = (path: SpecPath, severity: SpecDiagnostic['severity'], code: string, message: string, fixes?: SpecFix[]): void => {
    const range = parsed.rangeOf(path) ?? parsed.rangeOf(path, 'key');
    if (!range) return;
    out.push(fixes?.length ? { range, severity, code, message, fixes } : { range, severity, code, message });
  };

  const data = isMapValue(raw.data) ? raw.data : {};
  const steps = Array.isArray(raw.preprocessing) ? raw.preprocessing : [];
  const target = str(data.target);
  const features = Array.isArray(data.features) ? data.features : [];

  // Leakage: the target as its own input.
  features.forEach((f, i) => {
    if (target !== undefined && f === target) {
      const edit = parsed.ranges.removeListItem(['data', 'features'], i);
      add(['data', 'features', i], 'error', 'target-in-features',
        `The target '${target}' is also a feature: the model would read the answer it should predict (leakage). Remove it from the features.`,
        edit ? [{ title: `Move the target '${target}' out of the features`, edits: [edit] }] : undefined);
    }
  });

  // A target relative to a feature is a regression's residual form; it has no meaning for class labels.
  if (isMapValue(data.target_transform) && str(raw.task) === 'classification') {
    add(['data', 'target_transform'], 'error', 'target-transform-task',
      'target_transform applies to regression: a class label has no difference or return. Remove it, or use task: regression.');
  }
  checkHyperparameters(raw, add);
  checkExplainers(raw, add);
  if (!profile) return out;

  // Columns: every reference must name a CSV column (features and standardize columns may also name lag columns).
  const generated = generatedNames(steps);
  const oneHot = oneHotPrefixes(steps, profile);
  const known = profile.columns.map((c) => c.name);
  // Sets: a spec may list thousands of features against thousands of columns.
  const knownSet = new Set(known);
  const generatedSet = new Set(generated);
  const file = basename(profile.path);
  for (const ref of columnRefs(data, steps, Array.isArray(raw.explanation) ? raw.explanation : [])) {
    if (knownSet.has(ref.name)) continue;
    if (ref.allowGenerated && (generatedSet.has(ref.name) || oneHot.some((p) => ref.name.startsWith(p)))) continue;
    const candidates = ref.allowGenerated ? [...known, ...generated] : known;
    const nearest = nearestNames(ref.name, candidates, 3);
    const range = parsed.rangeOf(ref.path);
    const fixes = changeTo(range, nearest);
    add(ref.path, 'error', 'unknown-column',
      `No column '${ref.name}' (${ref.role}) in ${file}` +
      (nearest.length ? `; did you mean ${nearest.map((n) => `'${n}'`).join(', ')}?` : '.') +
      ` Columns: ${listNames(known)}${ref.allowGenerated && generated.length ? `; made by steps: ${lagRanges(steps)}` : ''}.`, fixes);
  }

  // Task versus target.
  const targetColumn = target !== undefined ? columnOf(profile, target) : undefined;
  const task = str(raw.task) ?? 'regression';
  if (targetColumn) {
    if (task === 'regression' && targetColumn.kind !== 'numeric') {
      add(['data', 'target'], 'error', 'task-target-mismatch',
        `Regression needs a numeric target, but '${target}' is a ${targetColumn.kind} column` +
        (targetColumn.top?.length ? ` (e.g. ${targetColumn.top.slice(0, 3).map((t) => `'${t.value}'`).join(', ')})` : '') +
        '; use task: classification or a numeric column.');
    } else if (task === 'classification' && targetColumn.kind === 'numeric' && targetColumn.distinct > CLASSIFICATION_MAX_CLASSES) {
      add(['data', 'target'], 'warning', 'task-target-mismatch',
        `Classification on '${target}', a continuous column with ${targetColumn.distinct} distinct values, makes ${targetColumn.distinct} classes; ` +
        'did you mean task: regression?');
    }
  }

  if (task === 'classification' && targetColumn?.values) checkExplainedClasses(raw, target!, targetColumn.values, basename(profile.path), parsed, add);

  checkRows(raw, data, steps, profile, add);
  return out;
}

/** One quick fix per name: replace the text at `range` (none without a range). */
function changeTo(range: ReturnType<ParsedSpec['rangeOf']>, names: readonly string[]): SpecFix[] {
  return range ? names.map((n) => ({ title: `Change to '${n}'`, edits: [{ range, newText: n }] })) : [];
}

/** Each explainer's `output` (with its step's index and method), as the spec writes it. */
function explainedOutputs(raw: Raw): { i: number; method: string; output: unknown }[] {
  if (!Array.isArray(raw.explanation)) return [];
  return raw.explanation.flatMap((step, i) => (isMapValue(step)
    ? Object.entries(step).flatMap(([method, body]) => (isMapValue(body) && 'output' in body ? [{ i, method, output: body.output }] : []))
    : []));
}

/** An explainer's `output` must be one of the target's classes (as the CSV writes them). */
function checkExplainedClasses(raw: Raw, target: string, classes: readonly string[], file: string, parsed: ParsedSpec, add: Add): void {
  for (const { i, method, output } of explainedOutputs(raw)) {
    const name = str(output);
    if (name === undefined || classes.includes(name.trim())) continue;
    const path: SpecPath = ['explanation', i, method, 'output'];
    const nearest = nearestNames(name, classes, 3);
    const range = parsed.rangeOf(path);
    add(path, 'error', 'unknown-class',
      `No class '${name}' in ${target} (${file})${nearest.length ? `; did you mean ${nearest.map((n) => `'${n}'`).join(', ')}?` : '.'} Classes: ${listNames(classes)}.`,
      changeTo(range, nearest));
  }
}

type Add = (path: SpecPath, severity: SpecDiagnostic['severity'], code: string, message: string, fixes?: SpecFix[]) => void;

/**
 * Names the feature steps make, in step order: lags `<c>_lag<k>`, rolling `<c>_rolling<w>_<stat>`, diff
 * `<c>_diff<p>`, returns `<c>_return<p>`, date parts `<c>_<part>`; one-hot columns (`<c>=<category>`) depend on the
 * data and are matched by prefix (`oneHotPrefixes`).
 */
export function generatedNames(steps: unknown[]): string[] {
  const names: string[] = [];
  for (const step of steps) {
    if (!isMapValue(step)) continue;
    for (const [kind, body] of Object.entries(step)) {
      if (!isMapValue(body)) continue;
      const column = str(body.column);
      if (column === undefined) continue;
      const count = num(body.count);
      const periods = num(body.periods) ?? 1;
      const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
      if (kind === 'lags' && count !== undefined && Number.isInteger(count) && count >= 1) {
        for (const s of lagShifts(count, body.horizon, 1000)) names.push(lagFeatureName(column, s));
      } else if (kind === 'rolling' && num(body.window) !== undefined) {
        for (const stat of list(body.stats)) names.push(`${column}_rolling${num(body.window)}_${stat}`);
      } else if (kind === 'diff') names.push(`${column}_diff${periods}`);
      else if (kind === 'returns') names.push(`${column}_return${periods}`);
      else if (kind === 'date_parts') for (const part of list(body.parts)) names.push(`${column}_${part}`);
    }
  }
  return names;
}

/** `<column>=` for each column a one_hot step encodes (its `columns`, or every text column when omitted). */
function oneHotPrefixes(steps: unknown[], profile: DataProfile): string[] {
  const out: string[] = [];
  for (const step of steps) {
    const body = isMapValue(step) && isMapValue(step.one_hot) ? step.one_hot : undefined;
    if (!body && !(isMapValue(step) && 'one_hot' in step)) continue;
    const columns = body && Array.isArray(body.columns)
      ? body.columns.filter((c): c is string => typeof c === 'string')
      : profile.columns.filter((c) => c.kind === 'text').map((c) => c.name);
    out.push(...columns.map((c) => `${c}=`));
  }
  return out;
}

function columnRefs(data: Raw, steps: unknown[], explanation: unknown[]): ColumnRef[] {
  const refs: ColumnRef[] = [];
  const ref = (path: SpecPath, v: unknown, role: string, allowGenerated = false): void => {
    const name = str(v);
    if (name !== undefined) refs.push({ path, name, role, allowGenerated });
  };
  ref(['data', 'target'], data.target, 'target');
  if (Array.isArray(data.filter)) data.filter.forEach((f, i) => { if (isMapValue(f)) ref(['data', 'filter', i, 'column'], f.column, 'filter'); });
  if (isMapValue(data.sort)) ref(['data', 'sort', 'column'], data.sort.column, 'sort');
  if (Array.isArray(data.column_types)) data.column_types.forEach((c, i) => { if (isMapValue(c)) ref(['data', 'column_types', i, 'column'], c.column, 'column_types'); });
  if (Array.isArray(data.features)) data.features.forEach((f, i) => ref(['data', 'features', i], f, 'feature', true));
  if (isMapValue(data.target_transform)) ref(['data', 'target_transform', 'relative_to'], data.target_transform.relative_to, 'target_transform', true);
  explanation.forEach((step, i) => {
    const pd = isMapValue(step) && isMapValue(step.partial_dependence) ? step.partial_dependence : undefined;
    if (pd && Array.isArray(pd.features)) pd.features.forEach((f, j) => ref(['explanation', i, 'partial_dependence', 'features', j], f, 'partial_dependence', true));
  });
  steps.forEach((step, i) => {
    if (!isMapValue(step)) return;
    for (const [kind, body] of Object.entries(step)) {
      if (!isMapValue(body)) continue;
      // A step may work on a column an earlier step made (a rolling mean of a diff), except lags of CSV columns.
      ref(['preprocessing', i, kind, 'column'], body.column, kind, kind !== 'lags');
      ref(['preprocessing', i, kind, 'group_by'], body.group_by, 'group_by');
      if (Array.isArray(body.columns)) body.columns.forEach((c, j) => ref(['preprocessing', i, kind, 'columns', j], c, kind, true));
    }
  });
  return refs;
}

/** Up to `k` names nearest to `word` by edit distance (case-insensitive), within a distance that still reads as a typo. */
export function nearestNames(word: string, candidates: readonly string[], k: number): string[] {
  const w = word.toLowerCase();
  const limit = Math.max(2, Math.ceil(w.length / 2));
  return candidates
    .map((c, i) => ({ c, i, d: editDistance(w, c.toLowerCase()) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, k)
    .map((x) => x.c);
}

/** 'price_lag1…price_lag10' per lag step, then the other generated names. */
function lagRanges(steps: unknown[]): string {
  const parts: string[] = [];
  for (const step of steps) {
    const lags = isMapValue(step) && isMapValue(step.lags) ? step.lags : undefined;
    const column = str(lags?.column);
    const count = num(lags?.count);
    if (column === undefined || count === undefined || !Number.isInteger(count) || count < 1) continue;
    const first = lagHorizon(lags!.horizon);
    const last = first + count - 1;
    parts.push(count === 1 ? lagFeatureName(column, first) : `${lagFeatureName(column, first)}…${lagFeatureName(column, last)}`);
  }
  const lagNames = new Set(parts.length ? generatedNames(steps.filter((s) => isMapValue(s) && 'lags' in s)) : []);
  const others = generatedNames(steps).filter((n) => !lagNames.has(n));
  return [...parts, ...others].join(', ');
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 12).join(', ');
  return names.length > 12 ? `${shown}, … (${names.length} in all)` : shown;
}

function checkHyperparameters(raw: Raw, add: Add): void {
  const training = isMapValue(raw.training) ? raw.training : {};
  const lr = num(training.learning_rate);
  if (lr !== undefined && lr > LEARNING_RATE_WARN) {
    add(['training', 'learning_rate'], 'warning', 'learning-rate-high',
      `A learning rate of ${lr} is above ${LEARNING_RATE_WARN}: gradient steps this large usually make the loss diverge (NaN); try 0.001 to 0.01.`);
  }
  const epochs = num(training.epochs);
  if (epochs !== undefined && epochs > EPOCHS_WARN) {
    add(['training', 'epochs'], 'warning', 'epochs-high',
      `${epochs} epochs is above ${EPOCHS_WARN}: training will be slow and likely over-fit; watch the validation loss.`);
  }
}

function checkExplainers(raw: Raw, add: Add): void {
  const task = str(raw.task) ?? 'regression';
  if (task === 'regression') {
    for (const { i, method } of explainedOutputs(raw)) {
      add(['explanation', i, method, 'output'], 'error', 'output-not-a-class',
        'output names the class whose probability is explained; a regression has one output. Remove it, or use task: classification.');
    }
  }
  const model = isMapValue(raw.model) ? str(raw.model.type) : undefined;
  if (model === undefined) return;
  const taskProblem = modelFitsTask(model, task);
  if (taskProblem) add(['model', 'type'], 'error', 'model-task-mismatch', taskProblem);
  if (!Array.isArray(raw.explanation)) return;
  raw.explanation.forEach((step, i) => {
    if (!isMapValue(step)) return;
    for (const [method, body] of Object.entries(step)) {
      const why = explainerFits(method, model);
      if (why) add(['explanation', i, method], 'error', 'explainer-model-mismatch', why);
      // A sanity check runs another explainer: that one must fit too.
      const inner = method === 'sanity_check' && isMapValue(body) ? str(body.explainer) : undefined;
      const innerWhy = inner !== undefined ? explainerFits(inner, model) : undefined;
      if (innerWhy) add(['explanation', i, method, 'explainer'], 'error', 'explainer-model-mismatch', innerWhy);
    }
  });
}

/** Row counts: lags that leave no rows, a split with an empty part, a batch larger than the training part. */
function checkRows(raw: Raw, data: Raw, steps: unknown[], profile: DataProfile, add: Add): void {
  let rows = filteredRows(data, profile);
  if (rows === undefined) return;
  const afterFilter = rows.length;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const lags = isMapValue(step) && isMapValue(step.lags) ? step.lags : undefined;
    if (!lags) continue;
    const count = num(lags.count);
    if (count === undefined || !Number.isInteger(count) || count < 1) return;
    const groupBy = str(lags.group_by);
    const g = groupBy !== undefined ? profile.columns.findIndex((c) => c.name === groupBy) : -1;
    // An unknown column is reported as such; counting rows for it would only add noise.
    if ((groupBy !== undefined && g < 0) || !profile.columns.some((c) => c.name === lags.column)) return;
    // The farthest lag (horizon + count − 1 rows back) decides which rows keep a full history.
    const need = lagHorizon(lags.horizon) + count - 1;
    const seen = new Map<string, number>();
    const kept: number[] = [];
    for (const r of rows) {
      const key = g >= 0 ? profile.cells[r]![g]! : '';
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      if (n >= need) kept.push(r);
    }
    if (!kept.length && rows.length) {
      const per = g >= 0 ? ` per '${groupBy}' group (the largest has ${Math.max(...seen.values())})` : '';
      const what = need === count ? `${count} lags` : `${count} lags from horizon ${need - count + 1} (up to ${lagFeatureName(str(lags.column)!, need)})`;
      add(['preprocessing', i, 'lags', 'count'], 'error', 'lags-exceed-rows',
        `${what} need more than ${need} rows${per}, but ${rows.length !== afterFilter ? 'earlier lags leave' : afterFilter === profile.rows ? 'the data has' : 'the filter keeps'} ${rows.length}: no row keeps a full history.`);
      return;
    }
    rows = kept;
  }
  const n = rows.length;
  let splitIndex = -1;
  steps.forEach((s, i) => { if (isMapValue(s) && 'split' in s) splitIndex = i; });
  const split = splitIndex >= 0 && isMapValue((steps[splitIndex] as Raw).split) ? (steps[splitIndex] as Raw).split as Raw : {};
  if (split.method === 'kfold') {
    // k-fold validates every row once: it needs k rows at least (and has no validation fraction).
    const k = num(split.k) ?? 5;
    if (Number.isInteger(k) && k > n) {
      add(['preprocessing', splitIndex, 'split', split.k !== undefined ? 'k' : 'method'], 'error', 'split-no-data',
        `${k} folds need at least ${k} rows, but ${n === afterFilter ? (afterFilter === profile.rows ? 'the data has' : 'the filter keeps') : 'the lags leave'} ${n}.`);
    }
    return;
  }
  const fraction = num(split.validation) ?? 0.2;
  const testFraction = num(split.test) ?? 0;
  if (!(fraction > 0 && fraction < 1)) return;
  if (testFraction > 0 && fraction + testFraction >= 1) {
    add(['preprocessing', splitIndex, 'split', 'test'], 'error', 'split-no-data',
      `Validation ${fraction} and test ${testFraction} add up to ${+(fraction + testFraction).toFixed(6)}: no rows are left for training; keep their sum below 1.`);
    return;
  }
  const splitPath: SpecPath = splitIndex >= 0 ? (split.validation !== undefined ? ['preprocessing', splitIndex, 'split', 'validation'] : ['preprocessing', splitIndex, 'split']) : ['data', 'target'];
  if (n < 2) {
    add(splitPath, 'error', 'split-no-data',
      `Only ${n} row${n === 1 ? '' : 's'} ${n === afterFilter ? 'match' : 'remain after the lags'}${afterFilter !== profile.rows ? ' the filter' : ''}: a training and a validation part need at least 2.`);
    return;
  }
  const exact = Math.round(n * fraction);
  const nValidation = Math.min(n - 1, Math.max(1, exact));
  if (splitIndex >= 0 && (exact === 0 || exact === n)) {
    add(splitPath, 'warning', 'split-rounds-to-zero',
      `A validation fraction of ${fraction} of ${n} rows leaves ${exact === 0 ? 'no validation' : 'no training'} rows; the split will use ${exact === 0 ? 1 : n - 1} instead.`);
  }
  const training = isMapValue(raw.training) ? raw.training : {};
  const batch = num(training.batch_size);
  const nTest = testFraction > 0 ? Math.max(1, Math.round(n * testFraction)) : 0;
  const nTrain = Math.max(0, n - nValidation - nTest);
  if (batch !== undefined && batch > nTrain) {
    add(['training', 'batch_size'], 'warning', 'batch-exceeds-training',
      `A batch of ${batch} rows is larger than the training part (${nTrain} rows): every step is one full batch of ${nTrain}.`);
  }
}

/** Row indices that pass `data.filter` (all rows without one); undefined when a filter names an unknown column. */
function filteredRows(data: Raw, profile: DataProfile): number[] | undefined {
  const all = profile.cells.map((_, i) => i);
  if (!Array.isArray(data.filter)) return all;
  const tests: { col: number; value: string }[] = [];
  for (const f of data.filter) {
    if (!isMapValue(f)) return undefined;
    const col = profile.columns.findIndex((c) => c.name === f.column);
    const eq = f.equals;
    if (col < 0 || !(typeof eq === 'string' || typeof eq === 'number' || typeof eq === 'boolean')) return undefined;
    tests.push({ col, value: String(eq).trim() });
  }
  return all.filter((r) => tests.every((t) => profile.cells[r]![t.col] === t.value));
}
