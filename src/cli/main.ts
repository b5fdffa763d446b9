#!/usr/bin/env node
// The `qris` command: see run.ts for dispatch and exit codes (0 success, 1 invalid input, 2 usage).
import { run } from './run.js';

void run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});
