/**
 * `xai`: runs and checks `*.xai.yaml` specs in a terminal, through the same worker as the extension.
 *
 *   xai check SPEC…  [--feedback]       prints the specs' diagnostics as file:line:col: severity code message
 *   xai run SPEC [--backend B] [--runs DIR]    trains, evaluates and explains; prints metrics and importance
 *   xai explain SPEC [--backend B] [--runs DIR] recomputes the importance of the latest run
 *     both with [--watchdog SECONDS] (default 120; 0 = none): a worker silent that long is stopped as hung
 *   xai explain MODEL --data CSV [--target COL] explains a saved model (run folder, model folder, model.json) on a CSV
 */
import { resolve, join, relative } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import Table from 'cli-table3';
import type { CrossValidationReport, RunReport, RunResult } from '../../protocol/protocol';
import { version } from '../../package.json';
import { formatDiagnostic } from './pipeline/specInput';
import { loadSpecFile } from './spec/check';
import { checkFiles, formatCheckLine } from './spec/checkFiles';
import { explainModelFile } from './pipeline/explainModelFile';
import { selectBackend } from './worker/backend';
import { runJob } from './worker/client';
import { DEFAULT_WATCHDOG_SECONDS, type BackendChoice, type WorkerJob, type WorkerProgress } from './worker/jobs';

const out = (s = ''): void => { process.stdout.write(`${s}\n`); };
const err = (s: string): void => { process.stderr.write(`${s}\n`); };

/** Prints the spec's diagnostics; returns whether there are errors. */
function printDiagnostics(specPath: string): boolean {
  const { diagnostics } = loadSpecFile(specPath);
  const shown = relative(process.cwd(), specPath) || specPath;
  const ordered = [...diagnostics].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  for (const d of ordered) (d.severity === 'error' ? err : out)(formatDiagnostic(shown, d));
  return diagnostics.some((d) => d.severity === 'error');
}

function progressPrinter(): { onProgress(p: WorkerProgress): void; done(): void } {
  const tty = process.stdout.isTTY === true;
  let lastLine = '';
  let pending = false;
  return {
    onProgress(p) {
      if (p.stage === 'train' && p.epoch !== undefined && p.epochs !== undefined) {
        // Losses are in the model's scale (standardized target when the spec standardizes it).
        const line = `epoch ${String(p.epoch).padStart(String(p.epochs).length)}/${p.epochs}  loss ${p.loss?.toFixed(5)}` +
          (p.valLoss !== undefined ? `  val_loss ${p.valLoss.toFixed(5)}` : '');
        if (tty) { process.stdout.write(`\r${line}`); pending = true; }
        // Without a terminal, a line every tenth of the epochs keeps logs short.
        else if (p.epoch === 1 || p.epoch === p.epochs || p.epoch % Math.max(1, Math.round(p.epochs / 10)) === 0) out(line);
        return;
      }
      if (pending) { out(); pending = false; }
      // Each new message once (a stage, a k-fold fold, an explainer, a write); epochs have their own line above.
      const line = `[${p.stage}] ${p.message}`;
      if (line !== lastLine) out(line);
      lastLine = line;
    },
    done() { if (pending) out(); },
  };
}

/** Tables without a rule between body rows. */
const compact = { chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' }, style: { head: [], border: [] } };

const f = (v: number, digits = 4): string => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

/** k-fold: each metric as mean ± std over the folds, the model beside the baseline; then what the saved model is. */
function printCrossValidation(cv: CrossValidationReport, modelName: string): void {
  const keys = Object.keys(cv.model);
  const t = new Table({ head: ['', ...keys], ...compact });
  const cell = (m: { mean: number; std: number } | undefined) => (m ? `${f(m.mean)} ± ${f(m.std)}` : '—');
  t.push([modelName, ...keys.map((k) => cell(cv.model[k]))]);
  t.push([`baseline: ${cv.baseline.name}`, ...keys.map((k) => cell(cv.baseline.metrics[k]))]);
  out(`k-fold cross-validation (${cv.k} folds${cv.stratified ? ', stratified' : ''}, seed ${cv.seed}): mean ± std (population) over the folds`);
  out(t.toString());
  out(`Per fold (${keys[0]}): ${cv.folds.map((x) => f(x.model[keys[0]!]!)).join(', ')}`);
  out(`Final model: ${cv.finalModel}.`);
  out();
}

function printReport(report: RunReport, runDir: string): void {
  const m = report.metrics;
  out();
  const modelName = report.model.type === 'mlp' ? 'MLP' : report.model.type;
  const cv = report.crossValidation;
  if (cv) printCrossValidation(cv, modelName);
  out(cv ? `Out-of-fold predictions of all ${report.data.rows} rows, target '${report.target}':`
    : `Validation (${report.data.validationRows} rows; trained on ${report.data.trainRows}), target '${report.target}':`);
  if (m.classification) {
    const c = m.classification;
    const metrics = new Table({ head: ['', 'accuracy', 'balanced acc.', 'F1 (macro)', 'ROC AUC', 'log loss'], ...compact });
    for (const [name, x] of [[modelName, c.model], [`baseline: ${c.baseline.name}`, c.baseline]] as const) {
      metrics.push([name, f(x.accuracy), f(x.balancedAccuracy), f(x.f1), x.rocAuc === null ? '—' : f(x.rocAuc), f(x.logLoss)]);
    }
    out(metrics.toString());
    out(`Confusion matrix (rows: true ${c.model.classes.join(', ')}; columns: predicted): ${JSON.stringify(c.model.confusion)}`);
  } else {
    const metrics = new Table({ head: ['', 'RMSE', 'MAE', 'R²'], ...compact });
    metrics.push([modelName, f(m.model.rmse), f(m.model.mae), f(m.model.r2)]);
    metrics.push([`baseline: ${m.baseline.name}`, f(m.baseline.rmse), f(m.baseline.mae), f(m.baseline.r2)]);
    out(metrics.toString());
  }
  const imp = report.importance;
  if (imp) {
    out();
    out(`Permutation importance (increase of ${imp.metric.toUpperCase()} on the ${imp.split} part, ${imp.repeats} repeats, ${imp.evaluations} evaluations):`);
    const t = new Table({ head: ['#', 'feature', 'mean', '± std'], ...compact, colAligns: ['right', 'left', 'right', 'right'] });
    imp.features.forEach((x, i) => t.push([String(i + 1), x.feature, f(x.mean), f(x.std)]));
    out(t.toString());
  }
  if (report.explanations?.length) {
    out();
    out(`Explanations: ${report.explanations.map((e) => `${e.method.replace(/_/g, ' ')} (${e.evaluations} evaluations)`).join(', ')}`);
  }
  out();
  out(`Backend: ${report.backend} · total ${(report.timings.totalMs / 1000).toFixed(1)} s (training ${(report.timings.trainMs / 1000).toFixed(1)} s)`);
  out(`Report: ${join(runDir, report.artifacts.html)}`);
  if (report.artifacts.explanation) out(`Explanation report: ${join(runDir, report.artifacts.explanation)}`);
}

interface RunOptions { backend: BackendChoice; runs?: string; verbose?: boolean; memoryLimit?: number; watchdog: number }

/** A number option's parser: the value, or Commander's error naming the option and what it expects. */
function numberAtLeast(min: number, what: string): (value: string) => number {
  return (value) => {
    const v = Number(value);
    if (value.trim() === '' || !Number.isFinite(v) || v < min) throw new InvalidArgumentError(`expected ${what}, not '${value}'`);
    return v;
  };
}

async function runCommand(kind: WorkerJob['kind'], spec: string, opts: RunOptions): Promise<number> {
  const specPath = resolve(spec);
  if (printDiagnostics(specPath)) return 1;
  const printer = progressPrinter();
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  let result: RunResult;
  try {
    result = await runJob(
      { kind, specPath, runsRoot: opts.runs ? resolve(opts.runs) : undefined, backend: opts.backend },
      {
        onProgress: printer.onProgress, onLog: opts.verbose ? (l) => err(`  ${l}`) : undefined, signal: controller.signal,
        memoryLimitMb: opts.memoryLimit,
        // As in the extension: a worker that stops sending heartbeats is stopped, so CI does not wait on it for good.
        ...(opts.watchdog > 0 ? { watchdogSeconds: opts.watchdog, watchdogSource: '--watchdog' } : {}),
      },
    );
  } finally {
    process.removeListener('SIGINT', onSigint);
    printer.done();
  }
  if (!result.ok || !result.report || !result.runDir) {
    err(`error: ${result.message ?? 'the run failed'}`);
    return result.cancelled ? 130 : 1;
  }
  printReport(result.report, result.runDir);
  return 0;
}

/** `xai explain MODEL --data CSV`: in this process (no spec, no run folder written). */
async function explainModelCommand(model: string, csv: string, opts: { backend: BackendChoice; target?: string }): Promise<number> {
  try {
    const backend = await selectBackend(opts.backend);
    const r = await explainModelFile(resolve(model), resolve(csv), { target: opts.target });
    const imp = r.importance;
    out(`Model ${r.modelDir} (${r.task}, target '${r.target}') on ${r.rows} rows of ${csv}; backend ${backend}.`);
    out(`Permutation importance (change of ${imp.metric.toUpperCase()} when a feature is shuffled, ${imp.repeats} repeats, baseline ${f(imp.baselineScore)}):`);
    const t = new Table({ head: ['#', 'feature', 'mean', '± std'], ...compact, colAligns: ['right', 'left', 'right', 'right'] });
    imp.features.forEach((x, i) => t.push([String(i + 1), x.feature, f(x.mean), f(x.std)]));
    out(t.toString());
    return 0;
  } catch (e) {
    err(`error: ${(e as Error).message}`);
    return 1;
  }
}

const program = new Command();
program.name('xai').description('Explainable ML pipelines from *.xai.yaml specs').version(version);
const backendOption = (): Option => new Option('--backend <name>', 'TensorFlow.js backend').choices(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto');
const watchdogOption = (): Option => new Option('--watchdog <seconds>', 'stop the worker when it sends no heartbeat for this long; 0: never')
  .argParser(numberAtLeast(0, 'a number of seconds, 0 or more')).default(DEFAULT_WATCHDOG_SECONDS);
const memoryLimitOption = (): Option => new Option('--memory-limit <MB>', 'heap limit of the worker process in MB')
  .argParser(numberAtLeast(64, 'a number of MB, 64 or more'));
program.command('run').argument('<spec>', 'a *.xai.yaml spec').description('train, evaluate and explain the spec')
  .addOption(backendOption()).option('--runs <dir>', 'folder for run folders (default: <spec folder>/.xai/runs)')
  .option('--verbose', 'print the worker\'s log').addOption(memoryLimitOption()).addOption(watchdogOption())
  .action(async (spec: string, opts: RunOptions) => { process.exitCode = await runCommand('train', spec, opts); });
program.command('explain').argument('<spec>', 'a *.xai.yaml spec; with --data: a run folder, model folder or model.json')
  .description('recompute the importance of the latest run, or explain a saved model on a CSV (--data)')
  .addOption(backendOption()).option('--runs <dir>', 'folder of run folders').option('--verbose', 'print the worker\'s log')
  .addOption(watchdogOption())
  .option('--data <csv>', 'explain the model file given as <spec> on this CSV (its columns are the model\'s inputs and target)')
  .option('--target <column>', 'with --data: the target column, when the model does not name it')
  .action(async (spec: string, opts: RunOptions & { data?: string; target?: string }) => {
    process.exitCode = opts.data ? await explainModelCommand(spec, opts.data, opts) : await runCommand('explain', spec, opts);
  });
program.command('check').argument('<specs...>', '*.xai.yaml specs').description('print the specs\' diagnostics as file:line:col: severity code message; exit 1 on errors')
  .option('--feedback', 'also the latest run\'s feedback (over-fitting, unimportant features, leakage, stale results)')
  .action((specs: string[], opts: { feedback?: boolean }) => {
    let errors = 0;
    for (const { file, diagnostics } of checkFiles(specs.map((s) => resolve(s)), { cwd: process.cwd(), feedback: opts.feedback })) {
      for (const d of diagnostics) (d.severity === 'error' ? err : out)(formatCheckLine(file, d));
      errors += diagnostics.filter((d) => d.severity === 'error').length;
    }
    process.exitCode = errors ? 1 : 0;
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  err(`error: ${(e as Error).message}`);
  process.exitCode = 1;
});
