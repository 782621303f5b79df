/**
 * A small seeded pseudo-random generator for the engine (random parameter search, simulations in
 * tests): mulberry32, 32 bits of state. tests/helpers/random.ts re-exports it for test data, so a
 * seed gives the same numbers everywhere (bench/lib/random.mjs keeps a plain-JS copy, as benches
 * run built code without a TypeScript loader). Not for cryptography.
 */

/** mulberry32: the same seed, the same numbers in [0, 1) (multiples of 2⁻³²). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An integer in [0, n) from two draws (53 random bits): uniform to within n/2⁵³, so it stays uniform
 * for n far above 2³² (a grid of 10¹⁰ points); n must be a positive safe integer.
 */
export function randomIndex(random: () => number, n: number): number {
  if (!(Number.isSafeInteger(n) && n > 0)) throw new RangeError(`randomIndex needs a positive safe integer n, got ${n}`);
  const hi = Math.floor(random() * 67108864); // 2²⁶
  const lo = Math.floor(random() * 134217728); // 2²⁷
  return Math.floor(((hi * 134217728 + lo) / 9007199254740992) * n); // / 2⁵³
}

/** A standard normal variate by Box–Muller (one of the pair; the other is discarded for simplicity). */
export function randomNormal(random: () => number): number {
  const u = 1 - random(); // (0, 1]: log(u) is finite
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
