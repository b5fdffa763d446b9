#!/usr/bin/env node
// The `qris` command: see run.ts for dispatch and exit codes (0 success, 1 invalid input, 2 usage,
// 70 internal error). The guard goes in first and the rest loads after it, so every failure, even a
// bug or a broken install, is one line without a stack trace.
import { installGuard } from './guard.js';

installGuard(process, (code) => process.exit(code));

void import('./run.js').then(async ({ run }) => {
  const code = await run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  });
  // Exit once stdout is flushed: a run that failed midway may leave a read pending (on a FIFO whose
  // writer is still open) that would otherwise keep the process alive.
  process.exitCode = code;
  process.stdout.write('', (err) => {
    if (!err) process.exit(code); // on an error the guard has exited with its own code
  });
});
