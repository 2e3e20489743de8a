export * from './types';
export { generateWorld, DEFAULT_SEED, DEFAULT_CITIZENS, DEFAULT_TODAY, MINIMUM_CITIZENS } from './world-generator';
export { createRandom, type Random } from './random';
