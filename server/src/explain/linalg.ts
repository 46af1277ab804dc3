/** Small dense linear algebra for the explainers' least-squares fits. */

/**
 * Solves A x = b for a square A [n, n] by Gaussian elimination with partial pivoting; A and b are not modified.
 * A tiny ridge (1e-12 · trace / n) is NOT added: a singular system throws.
 * @throws Error when A is singular (pivot below 1e-14 times the largest entry).
 */
export function solve(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  const scale = Math.max(1e-300, ...a.flat().map(Math.abs));
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (Math.abs(m[p]![c]!) < 1e-14 * scale) throw new Error(`singular linear system (column ${c})`);
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]!;
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / pivot[c]!;
      if (f !== 0) for (let k = c; k <= n; k++) m[r]![k]! -= f * pivot[k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * x[k]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}
