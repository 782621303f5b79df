/** A small seeded PRNG (mulberry32) for test data: the same seed, the same numbers in [0, 1). The engine's own. */
export { mulberry32 } from '../../server/src/engine/stats/random';
