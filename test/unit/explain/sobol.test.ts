import { describe, expect, it } from 'vitest';
import { functionModel } from '../../../server/src/explain/common';
import { sobolIndices } from '../../../server/src/explain/sobol';
import { linearModel, uniformRows } from './helpers';

/** Ishigami function (Ishigami & Homma 1990) with a = 7, b = 0.1 on [−π, π]³. */
const ishigami = functionModel((x) => x.map(([x1, x2, x3]) => Math.sin(x1!) + 7 * Math.sin(x2!) ** 2 + 0.1 * x3! ** 4 * Math.sin(x1!)), 3, 'ishigami');
const bounds = [[-Math.PI, Math.PI], [-Math.PI, Math.PI], [-Math.PI, Math.PI]] as const;
// Saltelli et al. 2008, The Primer; ../shared/data/SOURCES.md.
const S = [0.3139, 0.4424, 0];
const ST = [0.5576, 0.4424, 0.2437];

describe('Sobol indices (Saltelli 2010 first order, Jansen total)', () => {
  it('Ishigami (a = 7, b = 0.1): within 0.02 of the published S and ST, quasi-random and pseudo-random alike', async () => {
    for (const [sampler, samples] of [['halton', 8192], ['random', 32768]] as const) {
      const r = await sobolIndices(ishigami, { inputs: { kind: 'uniform', bounds }, samples, sampler, seed: 1, bootstrap: 100 });
      expect(r.evaluations).toBe(samples * 5);
      r.indices.forEach((idx, i) => {
        expect(Math.abs(idx.first - S[i]!), `${sampler} S${i + 1} = ${idx.first}`).toBeLessThan(0.02);
        expect(Math.abs(idx.total - ST[i]!), `${sampler} ST${i + 1} = ${idx.total}`).toBeLessThan(0.02);
        expect(idx.firstCi![0]).toBeLessThan(idx.firstCi![1]);
        expect(idx.totalCi![1] - idx.totalCi![0]).toBeLessThan(0.1);
      });
      expect(Math.abs(r.mean - 3.5)).toBeLessThan(0.05);
      expect(Math.abs(r.variance - 13.8446) / 13.8446).toBeLessThan(0.02);
    }
  });

  it('the bootstrap interval covers the published value for the random sampler', async () => {
    const r = await sobolIndices(ishigami, { inputs: { kind: 'uniform', bounds }, samples: 16384, sampler: 'random', seed: 7, bootstrap: 200 });
    r.indices.forEach((idx, i) => {
      expect(idx.totalCi![0]).toBeLessThanOrEqual(ST[i]! + 0.005);
      expect(idx.totalCi![1]).toBeGreaterThanOrEqual(ST[i]! - 0.005);
    });
  });

  it('on data: an additive linear model gets Sᵢ = STᵢ = wᵢ²Var(xᵢ)/Σ, correlated columns are flagged with their |r|', async () => {
    const w = [2, 1, 0];
    const data = uniformRows(3000, [1, 1, 1], 3);
    const r = await sobolIndices(linearModel(w), { inputs: { kind: 'empirical', data }, samples: 4096, seed: 2, features: ['a', 'b', 'c'] });
    const expected = [4 / 5, 1 / 5, 0];
    r.indices.forEach((idx, i) => {
      expect(Math.abs(idx.first - expected[i]!)).toBeLessThan(0.02);
      expect(Math.abs(idx.total - expected[i]!)).toBeLessThan(0.02);
    });
    expect(r.correlated).toBe(false);
    expect(r.maxAbsCorrelation!).toBeLessThan(0.1);
    const corr = data.map(([a, b, c]) => [a!, 0.8 * a! + 0.2 * b!, c!]);
    const rc = await sobolIndices(linearModel(w), { inputs: { kind: 'empirical', data: corr }, samples: 1024, seed: 2, bootstrap: 0, features: ['a', 'b', 'c'] });
    expect(rc.correlated).toBe(true);
    expect(rc.correlatedPair).toEqual(['a', 'b']);
    expect(rc.maxAbsCorrelation!).toBeGreaterThan(0.9);
    expect(rc.indices[0]!.firstCi).toBeUndefined();
  });

  it('refuses bounds that do not fit', async () => {
    await expect(sobolIndices(ishigami, { inputs: { kind: 'uniform', bounds: [[0, 1]] } })).rejects.toThrow(/1 bounds for 3 features/);
    await expect(sobolIndices(ishigami, { inputs: { kind: 'uniform', bounds: [[0, 1], [1, 1], [0, 1]] } })).rejects.toThrow(/feature f1 must have lower < upper/);
  });
});
