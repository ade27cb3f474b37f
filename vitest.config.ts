import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'training/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: tfjs on CPU is heavy, so keep files from fighting over them.
    pool: 'forks',
    maxWorkers: 2,
  },
});
