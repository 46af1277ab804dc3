/**
 * Limited-memory BFGS (Liu & Nocedal 1989; Nocedal & Wright, *Numerical Optimization*, 2nd ed., Alg. 7.4/7.5)
 * with a backtracking Armijo line search, for the smooth convex objectives of the linear models.
 */

export interface LbfgsOptions {
  /** Stop when the gradient's max-norm is below this; default 1e-8. */
  gtol?: number;
  /** Iteration limit; default 1000. */
  maxIterations?: number;
  /** Pairs (s, y) kept; default 10. */
  memory?: number;
}

export interface LbfgsResult { x: Float64Array; value: number; iterations: number; converged: boolean; gradientNorm: number }

/**
 * Minimizes f from x0. `fg(x, g)` returns f(x) and writes ∇f(x) into g.
 * @throws Error when f or its gradient is not finite at the start.
 */
export function lbfgs(fg: (x: Float64Array, g: Float64Array) => number, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const gtol = options.gtol ?? 1e-8;
  const maxIt = options.maxIterations ?? 1000;
  const m = options.memory ?? 10;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = fg(x, g);
  if (!Number.isFinite(f) || g.some((v) => !Number.isFinite(v))) throw new Error('L-BFGS: the objective is not finite at the starting point');
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const dot = (a: Float64Array, b: Float64Array): number => { let s = 0; for (let i = 0; i < n; i++) s += a[i]! * b[i]!; return s; };
  const maxAbs = (a: Float64Array): number => a.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
  let it = 0;
  for (; it < maxIt && maxAbs(g) > gtol; it++) {
    // Two-loop recursion: d = −H·g.
    const q = Float64Array.from(g);
    const alpha: number[] = new Array(S.length);
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k]! * dot(S[k]!, q);
      for (let i = 0; i < n; i++) q[i] = q[i]! - alpha[k]! * Y[k]![i]!;
    }
    const gamma = S.length ? dot(S[S.length - 1]!, Y[Y.length - 1]!) / dot(Y[Y.length - 1]!, Y[Y.length - 1]!) : 1 / Math.max(1, maxAbs(g));
    for (let i = 0; i < n; i++) q[i] = q[i]! * gamma;
    for (let k = 0; k < S.length; k++) {
      const beta = rho[k]! * dot(Y[k]!, q);
      for (let i = 0; i < n; i++) q[i] = q[i]! + S[k]![i]! * (alpha[k]! - beta);
    }
    const d = q.map((v) => -v);
    let slope = dot(g, d);
    if (!(slope < 0)) { // not a descent direction: restart from steepest descent
      S.length = 0; Y.length = 0; rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      slope = dot(g, d);
    }
    let step = 1;
    const xNew = new Float64Array(n);
    const gNew = new Float64Array(n);
    let fNew = Infinity;
    for (let tries = 0; tries < 60; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * d[i]!;
      fNew = fg(xNew, gNew);
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(fNew <= f)) break; // no progress possible at float precision
    const s = xNew.map((v, i) => v - x[i]!);
    const y = gNew.map((v, i) => v - g[i]!);
    const sy = dot(s, y);
    if (sy > 1e-12 * dot(y, y)) { // keep the curvature pair only when it keeps H positive definite
      S.push(s); Y.push(y); rho.push(1 / sy);
      if (S.length > m) { S.shift(); Y.shift(); rho.shift(); }
    }
    const done = Math.abs(f - fNew) <= 1e-16 * Math.max(1, Math.abs(f));
    x = xNew; g = gNew; f = fNew;
    if (done) { it++; break; }
  }
  const gradientNorm = maxAbs(g);
  return { x, value: f, iterations: it, converged: gradientNorm <= gtol, gradientNorm };
}
