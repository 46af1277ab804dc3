/**
 * Platt scaling (Platt 1999, "Probabilistic outputs for support vector machines"), fitted with the Newton
 * method with backtracking of Lin, Lin & Weng (2007), "A note on Platt's probabilistic outputs for support
 * vector machines", Machine Learning 68: P(y = 1 | f) = 1 / (1 + exp(A·f + B)).
 */

export interface PlattParams { a: number; b: number }

/** P(y = 1 | f) for a decision value f, computed without overflow. */
export function plattProbability(p: PlattParams, f: number): number {
  const z = p.a * f + p.b;
  return z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
}

/**
 * Fits A and B on decision values f [n] and labels t [n] (1 positive, 0 negative), with Platt's smoothed targets
 * (N₊ + 1)/(N₊ + 2) and 1/(N₋ + 2) so that the fit does not overfit separable data.
 * @throws Error when f and t differ in length or are empty.
 */
export function fitPlatt(f: readonly number[], t: readonly number[]): PlattParams {
  if (f.length !== t.length || f.length === 0) throw new Error(`Platt scaling: ${f.length} decision values and ${t.length} labels`);
  const prior1 = t.filter((v) => v === 1).length;
  const prior0 = t.length - prior1;
  const hi = (prior1 + 1) / (prior1 + 2);
  const lo = 1 / (prior0 + 2);
  const target = t.map((v) => (v === 1 ? hi : lo));
  let a = 0;
  let b = Math.log((prior0 + 1) / (prior1 + 1));
  const sigma = 1e-12;
  const fval = (A: number, B: number): number => {
    let s = 0;
    f.forEach((fi, i) => {
      const z = fi * A + B;
      s += z >= 0 ? target[i]! * z + Math.log1p(Math.exp(-z)) : (target[i]! - 1) * z + Math.log1p(Math.exp(z));
    });
    return s;
  };
  let value = fval(a, b);
  for (let it = 0; it < 100; it++) {
    let h11 = sigma; let h22 = sigma; let h21 = 0; let g1 = 0; let g2 = 0;
    f.forEach((fi, i) => {
      const z = fi * a + b;
      const p = z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
      const q = 1 - p;
      const d2 = p * q;
      h11 += fi * fi * d2; h22 += d2; h21 += fi * d2;
      const d1 = target[i]! - p;
      g1 += fi * d1; g2 += d1;
    });
    if (Math.abs(g1) < 1e-5 && Math.abs(g2) < 1e-5) break;
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det;
    const dB = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * dA + g2 * dB;
    let step = 1;
    while (step >= 1e-10) {
      const na = a + step * dA;
      const nb = b + step * dB;
      const nv = fval(na, nb);
      if (nv < value + 1e-4 * step * gd) { a = na; b = nb; value = nv; break; }
      step /= 2;
    }
    if (step < 1e-10) break;
  }
  return { a, b };
}
