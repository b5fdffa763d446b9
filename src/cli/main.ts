#!/usr/bin/env node
// The `qris` command: see run.ts for dispatch and exit codes (0 success, 1 invalid input, 2 usage,
// 70 internal error); guard.ts keeps every failure, even a bug, to one line without a stack trace.
import { installGuard } from './guard.js';
import { run } from './run.js';

const exit = (code: number): never => process.exit(code);
installGuard(process, exit);

run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => process.emit('uncaughtException', e instanceof Error ? e : new Error(String(e))),
);
