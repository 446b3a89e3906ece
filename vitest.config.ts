import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'zhint',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: [...configDefaults.exclude, 'test/**/*.v8.test.ts'],
        },
      },
      // tests that ask V8 itself (natives syntax): whether the plain loop is optimized
      {
        extends: true,
        test: {
          name: 'v8',
          include: ['test/**/*.v8.test.ts'],
          execArgv: ['--allow-natives-syntax', '--no-concurrent-recompilation'],
        },
      },
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
