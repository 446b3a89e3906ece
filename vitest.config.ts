import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'zhint', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'] } },
      // the instruction tests and the supervisor programs once more in the plain
      // interpreter loop (--no-jit), whose switch inlines the instructions and keeps
      // the PSW address and step count in locals: the default loop calls their exec
      // functions (test/isa/helpers.ts chooseLoop)
      {
        extends: true,
        test: {
          name: 'plain loop',
          include: ['test/isa/**/*.test.ts', 'test/supervisor/supervisor.test.ts'],
          env: { ZHINT_TEST_LOOP: 'plain' },
        },
      },
    ],
  },
});
