/**
 * fast-check generators of specs for the property tests: specs built from the spec language's vocabulary with
 * real, misspelled and generated column names, and text mutations; plus the "range inside the text" property.
 */
import fc from 'fast-check';
import type { Range } from '../../../protocol/protocol';

// --- Generators: specs built from the spec's own vocabulary, with real, misspelled and generated column names.

const columns = fc.constantFrom('symbol', 'date', 'price', 'prce', 'Price', 'price_lag1', 'price_lag11', 'symbol=MSFT', '', 'x'.repeat(60), 'ünï', 'a: b', '#');
const number = fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.constantFrom(0, 1, 0.5, 1e-9, 99999, 1e300));
const scalar = fc.oneof(number, columns, fc.boolean(), fc.constant(null));
const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });
const clean = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const step = fc.oneof(
  fc.record({ column: maybe(columns), count: maybe(number), group_by: maybe(columns) }).map((b) => ({ lags: clean(b) })),
  fc.record({ method: maybe(fc.constantFrom('chronological', 'random', 'stratified', 'chrono')), validation: maybe(number), test: maybe(number) }).map((b) => ({ split: clean(b) })),
  fc.record({ columns: maybe(fc.oneof(fc.constant('features'), fc.array(columns, { maxLength: 3 }))), target: maybe(fc.boolean()) }).map((b) => ({ standardize: clean(b) })),
  fc.record({ column: maybe(columns), window: maybe(number), stats: maybe(fc.array(fc.constantFrom('mean', 'std', 'max'), { maxLength: 2 })) }).map((b) => ({ rolling: clean(b) })),
  fc.record({ columns: maybe(fc.array(columns, { maxLength: 3 })) }).map((b) => ({ one_hot: clean(b) })),
  fc.record({ column: maybe(columns), parts: maybe(fc.array(fc.constantFrom('month', 'year'), { maxLength: 2 })) }).map((b) => ({ date_parts: clean(b) })),
  scalar,
);
const explainer = fc.oneof(
  fc.record({ repeats: maybe(number), split: maybe(fc.constantFrom('validation', 'train')), metric: maybe(fc.constantFrom('rmse', 'mae', 'r2')) }).map((b) => ({ permutation_importance: clean(b) })),
  fc.constantFrom({ integrated_gradients: {} }, { tree_shap: {} }, { shap: {} }, { decision_path: {} }),
  scalar,
);
export const specObject = fc.record({
  version: maybe(fc.oneof(fc.constant(1), scalar)),
  name: maybe(fc.oneof(fc.constant('fuzz'), scalar)),
  task: maybe(fc.constantFrom('regression', 'classification', 'clustering')),
  data: maybe(fc.oneof(scalar, fc.record({
    source: maybe(fc.constantFrom('../data/stocks.csv', '../data/none.csv', '../data', '', '../data/stocks.csv/x')),
    filter: maybe(fc.array(fc.record({ column: maybe(columns), equals: maybe(scalar) }).map(clean), { maxLength: 2 })),
    sort: maybe(fc.record({ column: maybe(columns), type: maybe(fc.constantFrom('date', 'number', 'text')) }).map(clean)),
    target: maybe(columns),
    features: maybe(fc.array(columns, { maxLength: 5 })),
  }).map(clean))),
  preprocessing: maybe(fc.array(step, { maxLength: 4 })),
  model: maybe(fc.oneof(scalar, fc.record({
    type: maybe(fc.constantFrom('mlp', 'decision_tree', 'linear_regression', 'logistic_regression', 'linear_svm', 'forest')),
    hidden_layers: maybe(fc.array(fc.record({ units: maybe(number), activation: maybe(fc.constantFrom('relu', 'tanh', 'gelu')) }).map(clean), { maxLength: 3 })),
    max_depth: maybe(number),
  }).map(clean))),
  training: maybe(fc.oneof(scalar, fc.record({
    optimizer: maybe(fc.constantFrom('adam', 'sgd', 'adamw')), learning_rate: maybe(number), epochs: maybe(number), batch_size: maybe(number), seed: maybe(number),
    early_stopping: maybe(fc.record({ patience: maybe(number) }).map(clean)),
  }).map(clean))),
  explanation: maybe(fc.array(explainer, { maxLength: 3 })),
}).map(clean);

const yamlChars = fc.constantFrom(' ', '\n', ':', '-', '[', ']', '{', '}', '&', '*', '!', '#', '"', "'", '|', '>', 'a', '1', '\t', '?', ',', '\r\n');
export const edits = fc.array(fc.record({ at: fc.nat(), del: fc.nat({ max: 8 }), ins: fc.array(yamlChars, { maxLength: 4 }) }), { minLength: 1, maxLength: 4 });
export const mutate = (text: string, es: { at: number; del: number; ins: string[] }[]): string =>
  es.reduce((t, e) => { const at = e.at % (t.length + 1); return t.slice(0, at) + e.ins.join('') + t.slice(at + e.del); }, text);

// --- The properties.

/** Lines of the text as an LSP client counts them (\n, \r\n and lone \r all end a line). */
export function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

export function expectInside(text: string, lengths: number[], r: Range, what: string): void {
  for (const p of [r.start, r.end]) {
    const ok = Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0 &&
      p.line < lengths.length && p.character <= lengths[p.line]!;
    if (!ok) throw new Error(`${what} range ${JSON.stringify(r)} outside the text (${lengths.length} lines):\n${text}`);
  }
  const ordered = r.end.line > r.start.line || (r.end.line === r.start.line && r.end.character >= r.start.character);
  if (!ordered) throw new Error(`${what} range ${JSON.stringify(r)} ends before it starts`);
}

