#!/usr/bin/env node
/**
 * The `zhint` executable (package.json "bin": dist/cli/main.js). All the work
 * is in cli.ts, which tests call in-process; this file only connects it to the
 * process: arguments in, exit status out. cli.ts is imported dynamically so
 * that even a module that fails to load (a broken build) ends as one line
 * and exit status 70, not a stack trace.
 */

// `zhint run ... | head`: a closed pipe is not an error of zhint
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

try {
  const { cli } = await import('./cli.js');
  const { processIo } = await import('./io.js');
  process.exitCode = await cli(process.argv.slice(2), processIo);
} catch (e) {
  // cli() reports every failure itself; this is a failure to load or a bug in that reporting
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  process.stderr.write(`zhint: internal error: ${msg.split('\n')[0]}\n`);
  if (process.env.ZHINT_DEBUG && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
  process.exitCode = 70;
}
