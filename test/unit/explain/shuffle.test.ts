import { describe, expect, it } from 'vitest';
import { permutation, seededRandom } from '../../../server/src/data/random';
import { shuffleInto, shuffleState } from '../../../server/src/explain/shuffle';

describe('permutation importance shuffles (Mulberry32 written out, state in a typed array)', () => {
  it('draw the same successive permutations as data/random permutation(n, seededRandom(seed))', () => {
    for (const seed of [0, 1, 7, -3, 2 ** 31 + 5, 4294967295, 12.9]) {
      for (const n of [1, 2, 3, 10, 1000]) {
        const random = seededRandom(seed);
        const state = shuffleState(seed);
        const perm = new Int32Array(n);
        for (let k = 0; k < 5; k++) {
          shuffleInto(perm, state);
          expect(Array.from(perm), `seed ${seed}, n ${n}, permutation ${k}`).toEqual(permutation(n, random));
        }
      }
    }
  });
});
