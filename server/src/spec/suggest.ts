/**
 * "Did you mean …?" for misspelled keys and values: the closest known word by optimal string alignment
 * distance (Damerau–Levenshtein with adjacent transpositions), ignoring case and `-`/`_` differences.
 */

/** Optimal string alignment distance between a and b (edits: insert, delete, substitute, swap neighbours). */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  // d[i][j]: distance between a[0, i) and b[0, j); rows kept as flat arrays for speed.
  const d: number[][] = Array.from({ length: n + 1 }, (_, i) => Array.from({ length: m + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i]!;
      const prev = d[i - 1]!;
      let best = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      row[j] = best;
    }
  }
  return d[n]![m]!;
}

const normalize = (s: string): string => s.toLowerCase().replace(/-/g, '_');

/**
 * The known word closest to `word`, or undefined when none is close enough: at most 1 edit for words of up to
 * 5 characters, 2 up to 8, else 3. Ties go to the earlier candidate (the schema's order).
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const w = normalize(word);
  const limit = w.length <= 5 ? 1 : w.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const dist = editDistance(w, normalize(c));
    if (dist < bestDistance) { best = c; bestDistance = dist; }
  }
  return bestDistance <= limit && best !== word ? best : undefined;
}
