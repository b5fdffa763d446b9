/**
 * The last line of defence: whatever fails, the user sees one line, never a stack trace. An
 * internal error (a bug, not bad input) is one "internal error" line with exit code 70; the stack
 * is printed only when QRIS_DEBUG is set. Errors on stdout end the process quietly: a closed pipe
 * (`| head -1`, EPIPE) is success, anything else (`> /dev/full`, ENOSPC) is one line and exit 1.
 */
import { EXIT } from './args.js';

/** The environment variable that turns on stack traces for internal errors. */
export const DEBUG_ENV = 'QRIS_DEBUG';

export function debugEnabled(env: NodeJS.ProcessEnv): boolean {
  const v = env[DEBUG_ENV];
  return v !== undefined && v !== '' && v !== '0';
}

/** The message for an internal error: one line, or the stack when debugging. */
export function internalErrorText(e: unknown, env: NodeJS.ProcessEnv): string {
  if (debugEnabled(env)) return `qris: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`;
  const name = e instanceof Error ? e.name : typeof e;
  const message = (e instanceof Error ? e.message : String(e)).split('\n', 1)[0]!.slice(0, 120);
  return `qris: internal error (${name}: ${message}); this is a bug in qris, not in your input. Set ${DEBUG_ENV}=1 for details.\n`;
}

/** Message for an error on stdout (one line), or undefined when it is a closed pipe (quiet success). */
export function stdoutErrorText(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED') return undefined;
  const what = code === 'ENOSPC' ? 'no space left on the device' : typeof code === 'string' ? code : 'write failed';
  return `qris: cannot write to standard output: ${what}.\n`;
}

/** Installs the process-wide handlers; `exit` ends the process (process.exit). */
export function installGuard(proc: NodeJS.Process, exit: (code: number) => never): void {
  const stderrWrite = (text: string): void => {
    try {
      proc.stderr.write(text);
    } catch {
      // stderr is gone too: the exit code is all that is left
    }
  };
  proc.stdout.on('error', (e) => {
    const text = stdoutErrorText(e);
    if (text !== undefined) stderrWrite(text);
    exit(text === undefined ? EXIT.OK : EXIT.INVALID);
  });
  proc.stderr.on('error', () => {}); // nowhere left to report; the exit code still says it
  const internal = (e: unknown): void => {
    // A stdout failure can surface as a thrown error too (a write after the pipe closed).
    const code = (e as { code?: unknown } | undefined)?.code;
    if (code === 'EPIPE') exit(EXIT.OK);
    stderrWrite(internalErrorText(e, proc.env));
    exit(EXIT.INTERNAL);
  };
  proc.on('uncaughtException', internal);
  proc.on('unhandledRejection', internal);
}
