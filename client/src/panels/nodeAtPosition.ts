/**
 * Which flow-graph node the editor's cursor is in: the node with the smallest range that holds the position, so
 * that the cursor on `units: 10` picks the layer rather than the whole `model` section. Pure: no `vscode`.
 */
import type { FlowGraph, Position, Range } from '../../../protocol/protocol';

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** True when `pos` is inside `range`, both ends included (a cursor just after a key still counts). */
export function rangeContains(range: Range, pos: Position): boolean {
  return !before(pos, range.start) && !before(range.end, pos);
}

/** A size for ordering ranges: lines first, then characters. */
function extent(r: Range): [number, number] {
  return [r.end.line - r.start.line, r.end.line === r.start.line ? r.end.character - r.start.character : r.end.character];
}

/** The id of the innermost node whose range holds `pos`, or null when none does. */
export function nodeAtPosition(graph: FlowGraph | null | undefined, pos: Position): string | null {
  if (!graph) return null;
  let best: { id: string; size: [number, number] } | null = null;
  for (const node of graph.nodes) {
    if (!node.range || !rangeContains(node.range, pos)) continue;
    const size = extent(node.range);
    if (!best || size[0] < best.size[0] || (size[0] === best.size[0] && size[1] < best.size[1])) best = { id: node.id, size };
  }
  return best?.id ?? null;
}
