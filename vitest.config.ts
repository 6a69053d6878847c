import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'dist/test-results/vitest.json' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Namespaced labs and real daemons: one file at a time on a 2-core machine, generous
          // hang guards (timing goals live in bench/, not here).
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ['test/integration/globalSetup.ts'],
        },
      },
      {
        test: {
          // qemu guests under TCG: slow, and run with no other suite beside them (scripts/test.sh).
          // Two files at a time: a guest spends much of a test waiting at its prompt, so two
          // share the two cores well.
          name: 'image',
          include: ['test/image/**/*.test.ts'],
          globalSetup: ['test/image/globalSetup.ts'],
          fileParallelism: true,
          maxWorkers: 2,
          testTimeout: 900_000,
          hookTimeout: 1_800_000,
        },
      },
    ],
  },
});
