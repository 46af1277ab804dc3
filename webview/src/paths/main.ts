/**
 * The Decision Path webview: a sample picker (row index, a filter on a column, or the worst-predicted validation
 * rows), the chosen sample's path step by step (value against threshold and the prediction at each node) and its
 * attribution. It posts `pick` with a SampleSelector; the host asks the language server and answers with the
 * result (and drives the flowchart's path overlay). State survives hide/show and window reloads (setState).
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import {
  FILTER_OPS, isHostToPathsMessage, type FilterOp, type PathsState, type PathsToHostMessage, type SampleSelector,
} from '../../../protocol/protocol';
import { escapeHtml } from '../common/escape';
import { PATHS_CSS } from './styles';
import { resultHtml } from './view';

interface VsCodeApi { postMessage(m: PathsToHostMessage): void; getState(): unknown; setState(s: unknown): void }
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const saved = vscode.getState();
let state: PathsState = typeof saved === 'object' && saved !== null ? saved as PathsState : {};

const style = document.createElement('style');
style.textContent = PATHS_CSS;
document.head.appendChild(style);

type Field = HTMLElement & { value: string };
const root = document.getElementById('xai-paths') ?? document.body.appendChild(document.createElement('div'));
root.innerHTML = `
  <form class="xai-picker" aria-label="Pick a sample">
    <vscode-single-select class="xai-mode" aria-label="Pick the sample by">
      <vscode-option value="row">Row index</vscode-option>
      <vscode-option value="filter">Filter</vscode-option>
      <vscode-option value="worst">Worst predicted</vscode-option>
    </vscode-single-select>
    <span class="xai-mode-row"><vscode-textfield class="xai-row" type="number" min="0" value="0" aria-label="Row index (0-based)"></vscode-textfield></span>
    <span class="xai-mode-filter" hidden>
      <vscode-single-select class="xai-column" aria-label="Column"></vscode-single-select>
      <vscode-single-select class="xai-op" aria-label="Comparison">${FILTER_OPS.map((op) => `<vscode-option value="${escapeHtml(op)}">${escapeHtml(op)}</vscode-option>`).join('')}</vscode-single-select>
      <vscode-textfield class="xai-value" aria-label="Value"></vscode-textfield>
    </span>
    <span class="xai-mode-worst" hidden><vscode-textfield class="xai-rank" type="number" min="1" value="1" aria-label="Rank (1 = worst)"></vscode-textfield></span>
    <vscode-button class="xai-show" aria-label="Show the decision path">Show path</vscode-button>
    <span class="xai-busy" role="status" aria-live="polite"></span>
  </form>
  <div class="xai-result" aria-live="polite"><p class="xai-message">Pick a sample to see its decision path.</p></div>`;
const $ = <T extends Element>(sel: string): T => root.querySelector<T>(sel)!;
const mode = $<Field>('.xai-mode');
const rowField = $<Field>('.xai-row');
const columnSelect = $<Field>('.xai-column');
const opSelect = $<Field>('.xai-op');
const valueField = $<Field>('.xai-value');
const rankField = $<Field>('.xai-rank');
const busy = $<HTMLElement>('.xai-busy');
const result = $<HTMLElement>('.xai-result');

function showMode(m: string): void {
  for (const k of ['row', 'filter', 'worst']) $<HTMLElement>(`.xai-mode-${k}`).hidden = k !== m;
}
mode.addEventListener('change', () => showMode(mode.value));

/** The selector the form describes, or a sentence saying what is wrong. */
function formSelector(): SampleSelector | string {
  if (mode.value === 'filter') {
    const op = FILTER_OPS.find((o) => o === opSelect.value) as FilterOp | undefined;
    if (!columnSelect.value) return 'Choose a column.';
    return { by: 'filter', column: columnSelect.value, op: op ?? '=', value: valueField.value };
  }
  const field = mode.value === 'worst' ? rankField : rowField;
  const v = Number(field.value);
  if (!Number.isInteger(v) || v < (mode.value === 'worst' ? 1 : 0)) return mode.value === 'worst' ? 'The rank is a whole number from 1.' : 'The row is a whole number from 0.';
  return mode.value === 'worst' ? { by: 'worst', rank: v - 1 } : { by: 'row', row: v };
}

function pick(selector: SampleSelector): void {
  busy.textContent = 'Computing the path…';
  vscode.postMessage({ type: 'pick', selector });
}

root.querySelector('form')!.addEventListener('submit', (e) => e.preventDefault());
$<HTMLElement>('.xai-show').addEventListener('click', () => {
  const s = formSelector();
  if (typeof s === 'string') { busy.textContent = s; return; }
  pick(s);
});
for (const f of [rowField, valueField, rankField]) {
  f.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Enter') $<HTMLElement>('.xai-show').click(); });
}
result.addEventListener('click', (e) => {
  const b = (e.target as Element).closest<HTMLElement>('button.xai-pick-row');
  if (b) pick({ by: 'row', row: Number(b.dataset.row) });
});

/** Puts a selector back into the form (after a restore, or when a candidate row was picked). */
function fillForm(s: SampleSelector): void {
  mode.value = s.by;
  showMode(s.by);
  if (s.by === 'row') rowField.value = String(s.row);
  else if (s.by === 'worst') rankField.value = String(s.rank + 1);
  else { columnSelect.value = s.column; opSelect.value = s.op; valueField.value = s.value; }
}

function setColumns(columns: readonly string[] | undefined): void {
  if (!columns?.length) return;
  const key = columns.join('\n');
  if (columnSelect.dataset.columns === key) return;
  columnSelect.dataset.columns = key;
  const current = columnSelect.value;
  columnSelect.innerHTML = columns.map((c) => `<vscode-option value="${escapeHtml(c)}">${escapeHtml(c)}</vscode-option>`).join('');
  columnSelect.value = columns.includes(current) ? current : columns[0]!;
}

function show(): void {
  if (!state.result) return;
  setColumns(state.result.columns);
  if (state.selector) fillForm(state.selector);
  result.innerHTML = resultHtml(state.result);
  busy.textContent = state.result.ok && state.result.rows !== undefined ? `${state.result.rows} samples` : '';
}

window.addEventListener('message', (event: MessageEvent) => {
  const msg: unknown = event.data;
  if (!isHostToPathsMessage(msg)) return;
  if (msg.type === 'busy') {
    busy.textContent = 'Computing the path…';
    return;
  }
  // A row picked from the candidates keeps the list's selector in the form, so the list stays.
  const keepList = msg.selector.by === 'row' && state.result?.candidates?.some((c) => c.row === (msg.selector as { row: number }).row);
  state = {
    ...state, ...(msg.specUri ? { specUri: msg.specUri } : {}),
    selector: keepList ? state.selector : msg.selector,
    result: keepList && msg.result.ok ? { ...msg.result, candidates: state.result!.candidates } : msg.result,
  };
  vscode.setState(state);
  show();
  document.body.dataset.xaiShown = String(Number(document.body.dataset.xaiShown ?? 0) + 1);
});

show();
vscode.postMessage({ type: 'ready' });
