import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The CLI's entry and code-cache loader are CommonJS TypeScript (.cts), which Vite leaves untransformed by default.
  esbuild: { include: /\.(m?ts|cts|[jt]sx)$/ },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Network in tests is loopback only; nock blocks everything else per test file.
  },
});
