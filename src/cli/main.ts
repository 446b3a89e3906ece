#!/usr/bin/env node
/**
 * The `zhint` executable (package.json "bin": dist/cli/main.js). All the work
 * is in cli.ts, which tests call in-process; this file only connects it to the
 * process: arguments in, exit status out.
 */
import { cli, report } from './cli.js';
import { processIo } from './io.js';

// `zhint run ... | head`: a closed pipe is not an error of zhint
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

cli(process.argv.slice(2), processIo).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => { process.exitCode = report(e, processIo); },
);
