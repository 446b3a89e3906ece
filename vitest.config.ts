import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'zhint', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'] } },
      // the instruction tests once more in the plain interpreter loop (--no-jit), whose
      // switch inlines the instructions: the default loop calls their exec functions
      // (test/isa/helpers.ts chooseLoop)
      {
        extends: true,
        test: { name: 'isa, plain loop', include: ['test/isa/**/*.test.ts'], env: { ZHINT_TEST_LOOP: 'plain' } },
      },
    ],
  },
});
