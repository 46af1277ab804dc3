/**
 * A small seeded pseudo-random generator, so that splits, shuffles and permutations repeat from a seed
 * (Math.random cannot be seeded).
 */

/** Mulberry32 (Tommy Ettinger, 2017): a 32-bit state generator returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = (Math.trunc(seed) >>> 0) ^ 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffles an array in place with the Fisher–Yates algorithm (Durstenfeld's version); returns it. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}

/** A random permutation of 0 … n-1. */
export function permutation(n: number, random: () => number): number[] {
  return shuffleInPlace(Array.from({ length: n }, (_, i) => i), random);
}
