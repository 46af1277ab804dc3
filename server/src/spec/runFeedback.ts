/**
 * Feedback from a finished run into the spec that made it: diagnostics on the keys a run's outcome blames, and
 * inlay hints with each feature's permutation importance next to where the feature is defined.
 *
 *   run-diverged        error    the training loss became NaN or infinite → on `training.learning_rate`
 *   run-overfitting     warning  validation loss rose while training loss fell → on `training.epochs`
 *                                (or `early_stopping` when the spec has one)
 *   feature-unimportant hint     a feature whose importance interval covers 0 → on the feature, fix: drop it
 *   feature-leakage     warning  one feature alone carries almost all importance of a near-perfect model
 *   run-stale           info     the spec or the data changed since the run: the results above are not shown
 *
 * Pure: the parse, the report and the current hashes in; no file system. Never throws.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { FeatureImportance, Position, RunReport } from '../../../protocol/protocol';
import { lagFeatureName } from './features';
import type { ParsedSpec, SpecDiagnostic, SpecFix } from './parse';
import type { SpecPath } from './ranges';

export interface SpecInlayHint {
  position: Position;
  label: string;
  tooltip?: string;
}

export interface RunFeedback {
  diagnostics: SpecDiagnostic[];
  hints: SpecInlayHint[];
  stale: boolean;
}

/** Validation loss this much above its minimum (relative) counts as rising. */
export const OVERFIT_RISE = 0.1;
/** A model this good (validation R², or accuracy) with one feature holding LEAKAGE_SHARE of the importance is suspect. */
export const LEAKAGE_SCORE = 0.98;
export const LEAKAGE_SHARE = 0.9;

/** sha256 (hex) of a spec's text, the way a run report records it. */
export function specSha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

type Raw = Record<string, unknown>;
const isMapValue = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The feedback of `report` (the spec's latest run) for the spec as parsed now. `dataSha256` is the data file's
 * current hash (undefined when unknown: not compared). When the spec text or the data differ from the run's,
 * only a `run-stale` information and the hints (marked stale) are returned.
 */
export function runFeedback(parsed: ParsedSpec, report: RunReport | null, dataSha256: string | undefined, failure?: FailedRunInfo): RunFeedback {
  const raw = isMapValue(parsed.raw) ? parsed.raw : {};
  const failed = failure && failure.specSha256 === specSha256(parsed.text) ? divergedFeedback(parsed, raw, failure) : [];
  if (!report) return { diagnostics: failed, hints: [], stale: false };
  const mixed = runFeedbackOfReport(parsed, raw, report, dataSha256);
  return { ...mixed, diagnostics: [...failed, ...mixed.diagnostics] };
}

/** A failed run as the feedback needs it: the hash of the spec text it ran and the worker's message. */
export interface FailedRunInfo { specSha256: string; message: string }

/** `run-diverged` from a failed run's message ("training diverged at epoch 3: the loss is NaN; …"). */
function divergedFeedback(parsed: ParsedSpec, raw: Raw, failure: FailedRunInfo): SpecDiagnostic[] {
  const m = /diverged at epoch (\d+): the loss is (\S+?)[;,.]?(?:\s|$)/.exec(failure.message);
  if (!m) return [];
  const training = isMapValue(raw.training) ? raw.training : {};
  const lr = typeof training.learning_rate === 'number' ? ` of ${training.learning_rate}` : '';
  const message = `Training diverged in the last run: the loss became ${m[2]} at epoch ${m[1]}. ` +
    `Lower the learning rate${lr} (e.g. to 0.001) or standardize the features and target.`;
  const range = 'learning_rate' in training ? parsed.rangeOf(['training', 'learning_rate']) : parsed.rangeOf(['training'], 'key');
  return range ? [{ range, severity: 'error', code: 'run-diverged', message }] : [];
}

function runFeedbackOfReport(parsed: ParsedSpec, raw: Raw, report: RunReport, dataSha256: string | undefined): RunFeedback {
  const specChanged = report.spec?.sha256 !== specSha256(parsed.text);
  const dataChanged = dataSha256 !== undefined && report.data?.sha256 !== dataSha256;
  const stale = specChanged || dataChanged;
  const hints = importanceHints(parsed, raw, report, stale);
  const out: SpecDiagnostic[] = [];
  const add = (path: SpecPath, severity: SpecDiagnostic['severity'], code: string, message: string, fixes?: SpecFix[]): void => {
    const range = parsed.rangeOf(path) ?? parsed.rangeOf(path, 'key');
    if (range) out.push(fixes?.length ? { range, severity, code, message, fixes } : { range, severity, code, message });
  };
  const when = `the run of ${report.createdAt ?? report.runId}`;
  if (stale) {
    const what = specChanged && dataChanged ? 'the spec and its data have' : specChanged ? 'the spec has' : 'the data has';
    out.push({
      range: parsed.ranges.firstLine(), severity: 'information', code: 'run-stale',
      message: `The results of ${when} are stale: ${what} changed since; train again to update them.`,
    });
    return { diagnostics: out, hints, stale };
  }

  const training = isMapValue(raw.training) ? raw.training : {};
  const history = Array.isArray(report.history) ? report.history : [];
  // NaN is written to JSON as null.
  const bad = history.find((h) => typeof h.loss !== 'number' || !Number.isFinite(h.loss));
  if (bad) {
    const lr = typeof training.learning_rate === 'number' ? ` of ${training.learning_rate}` : '';
    const message = `Training diverged in ${when}: the loss became ${bad.loss === null ? 'NaN' : String(bad.loss)} at epoch ${bad.epoch}. ` +
      `Lower the learning rate${lr} (e.g. to 0.001) or standardize the features and target.`;
    if ('learning_rate' in training) add(['training', 'learning_rate'], 'error', 'run-diverged', message);
    else {
      const range = parsed.rangeOf(['training'], 'key');
      if (range) out.push({ range, severity: 'error', code: 'run-diverged', message });
    }
  } else {
    overfitting(history, training, add, when);
  }

  const importance = report.importance?.features ?? [];
  const features = isMapValue(raw.data) && Array.isArray(raw.data.features) ? raw.data.features : undefined;
  for (const f of importance) {
    const ci = interval(f);
    if (!ci || !(ci[0] <= 0 && ci[1] >= 0)) continue;
    const place = featurePlace(parsed, raw, f.feature);
    if (!place) continue;
    const fix = dropFeatureFix(parsed, raw, report, features, f.feature);
    add(place, 'hint', 'feature-unimportant',
      `'${f.feature}' is indistinguishable from unimportant in ${when}: its permutation importance ${fmt(f.mean)} has the interval ` +
      `[${fmt(ci[0])}, ${fmt(ci[1])}], which covers 0. Dropping it may simplify the model at no cost.`, fix ? [fix] : undefined);
  }
  leakage(parsed, raw, report, add, when);
  return { diagnostics: out, hints, stale };
}

type Add = (path: SpecPath, severity: SpecDiagnostic['severity'], code: string, message: string, fixes?: SpecFix[]) => void;

function overfitting(history: RunReport['history'], training: Raw, add: Add, when: string): void {
  const withVal = history.filter((h) => typeof h.valLoss === 'number' && Number.isFinite(h.valLoss));
  if (withVal.length < 10) return;
  let best = 0;
  withVal.forEach((h, i) => { if (h.valLoss! < withVal[best]!.valLoss!) best = i; });
  const last = withVal[withVal.length - 1]!;
  const atBest = withVal[best]!;
  const rose = last.valLoss! > atBest.valLoss! * (1 + OVERFIT_RISE) && best < withVal.length * 0.8;
  const fell = last.loss < atBest.loss;
  if (!rose || !fell) return;
  const key = 'early_stopping' in training ? 'early_stopping' : 'epochs';
  add(['training', key], 'warning', 'run-overfitting',
    `Over-fitting in ${when}: the validation loss rose from ${fmt(atBest.valLoss!)} at epoch ${atBest.epoch} to ${fmt(last.valLoss!)} at epoch ${last.epoch} ` +
    `while the training loss fell from ${fmt(atBest.loss)} to ${fmt(last.loss)}; ` +
    (key === 'epochs' ? `about ${atBest.epoch} epochs would do, or stop early on the validation loss.` : 'stop earlier (a smaller patience).'));
}

function leakage(parsed: ParsedSpec, raw: Raw, report: RunReport, add: Add, when: string): void {
  const metrics = report.metrics?.model as { r2?: number; accuracy?: number } | undefined;
  const score = typeof metrics?.r2 === 'number' ? metrics.r2 : typeof metrics?.accuracy === 'number' ? metrics.accuracy : undefined;
  const features = report.importance?.features ?? [];
  if (score === undefined || score < LEAKAGE_SCORE || features.length < 2) return;
  const total = features.reduce((s, f) => s + Math.max(0, f.mean), 0);
  const top = features.reduce((a, b) => (b.mean > a.mean ? b : a));
  if (!(total > 0) || top.mean / total < LEAKAGE_SHARE) return;
  const place = featurePlace(parsed, raw, top.feature);
  if (!place) return;
  add(place, 'warning', 'feature-leakage',
    `Possible leakage in ${when}: '${top.feature}' alone carries ${(100 * top.mean / total).toFixed(0)} % of the importance of a model ` +
    `scoring ${score.toFixed(3)}; check that it is not derived from the target '${report.target}' or known only after it.`);
}

/** The feature's confidence interval: the report's, else mean ± 2 standard errors over the repeats. */
function interval(f: FeatureImportance): [number, number] | undefined {
  if (Array.isArray(f.ci) && f.ci.length === 2 && f.ci.every(Number.isFinite)) return f.ci;
  const n = Array.isArray(f.values) ? f.values.length : 0;
  if (n < 2 || !Number.isFinite(f.mean) || !Number.isFinite(f.std)) return undefined;
  const half = (2 * f.std) / Math.sqrt(n);
  return [f.mean - half, f.mean + half];
}

/** Where a feature is defined: its item in `data.features`, else the `count` of the lag step that makes it. */
function featurePlace(parsed: ParsedSpec, raw: Raw, feature: string): SpecPath | undefined {
  const data = isMapValue(raw.data) ? raw.data : {};
  if (Array.isArray(data.features)) {
    const i = data.features.indexOf(feature);
    return i >= 0 ? ['data', 'features', i] : undefined;
  }
  const lag = lagOf(raw, feature);
  return lag ? ['preprocessing', lag.step, 'lags', 'count'] : undefined;
}

function lagOf(raw: Raw, feature: string): { step: number; k: number } | undefined {
  const steps = Array.isArray(raw.preprocessing) ? raw.preprocessing : [];
  for (let i = 0; i < steps.length; i++) {
    const lags = isMapValue(steps[i]) && isMapValue((steps[i] as Raw).lags) ? (steps[i] as Raw).lags as Raw : undefined;
    if (!lags || typeof lags.column !== 'string' || typeof lags.count !== 'number') continue;
    for (let k = 1; k <= Math.min(lags.count, 1000); k++) if (lagFeatureName(lags.column, k) === feature) return { step: i, k };
  }
  return undefined;
}

/** "Drop 'x' from the features": remove its item, or (lag features) write the features list without it. */
function dropFeatureFix(parsed: ParsedSpec, raw: Raw, report: RunReport, features: unknown[] | undefined, feature: string): SpecFix | undefined {
  const title = `Drop '${feature}' from the features`;
  if (features) {
    const edit = parsed.ranges.removeListItem(['data', 'features'], features.indexOf(feature));
    return edit ? { title, edits: [edit] } : undefined;
  }
  const rest = (report.features ?? []).filter((f) => f !== feature);
  if (!rest.length) return undefined;
  const edit = parsed.ranges.insertKey(['data'], 'features', `[${rest.map((n) => stringify(n).trim()).join(', ')}]`);
  return edit ? { title, edits: [edit] } : undefined;
}

/** Inlay hints: `2.67 ± 0.45` after each listed feature, or `lag1 2.67 ± 0.45 · …` after a lag step's count. */
function importanceHints(parsed: ParsedSpec, raw: Raw, report: RunReport, stale: boolean): SpecInlayHint[] {
  const importance = report.importance?.features ?? [];
  if (!importance.length) return [];
  const suffix = stale ? ' (stale)' : '';
  const tooltip = `Permutation importance from ${report.runId}: increase of ${report.importance!.metric.toUpperCase()} when the feature is shuffled (mean ± std over ${report.importance!.repeats} repeats)` +
    (stale ? '; the spec or data changed since this run.' : '.');
  const value = (f: FeatureImportance): string => `${fmt(f.mean)} ± ${fmt(f.std)}`;
  const data = isMapValue(raw.data) ? raw.data : {};
  const out: SpecInlayHint[] = [];
  if (Array.isArray(data.features)) {
    data.features.forEach((name, i) => {
      const f = importance.find((x) => x.feature === name);
      const r = parsed.rangeOf(['data', 'features', i]);
      if (f && r) out.push({ position: r.end, label: ` ${value(f)}${suffix}`, tooltip });
    });
    return out;
  }
  const perStep = new Map<number, string[]>();
  for (const f of importance) {
    const lag = lagOf(raw, f.feature);
    if (!lag) continue;
    perStep.set(lag.step, [...(perStep.get(lag.step) ?? []), `lag${lag.k} ${value(f)}`]);
  }
  for (const [step, parts] of perStep) {
    const r = parsed.rangeOf(['preprocessing', step, 'lags', 'count']);
    if (r) out.push({ position: r.end, label: ` ${parts.join(' · ')}${suffix}`, tooltip });
  }
  return out;
}

/** Two decimals, or two significant digits for small values. */
function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return x === 0 || Math.abs(x) >= 0.01 ? x.toFixed(2) : x.toPrecision(2);
}
