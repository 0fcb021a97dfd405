import { defineConfig } from 'vitest/config';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'hono/jsx' } },
  test: {
    include: ['packages/*/src/**/*.test.{ts,tsx}', 'examples/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Writes ui/assets.generated.ts from ui/assets/*.css, *.js, as `npm run build` does.
    globalSetup: ['scripts/build-assets.mjs'],
  },
});
