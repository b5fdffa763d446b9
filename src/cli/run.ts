/**
 * Dispatch for the `qris` command: picks the command module, parses its arguments, runs it, and
 * turns errors into one-line messages and exit codes (0 success, 1 invalid input, 2 usage error,
 * 70 internal error: a bug, reported without a stack unless QRIS_DEBUG is set).
 */
import { describeValue } from '../errors.js';
import { columns, EXIT, parseCommandArgs, renderHelp, UsageError, type Command, type Io } from './args.js';
import { convertCommand } from './commands/convert.js';
import { decodeCommand } from './commands/decode.js';
import { encodeCommand } from './commands/encode.js';
import { infoCommand } from './commands/info.js';
import { posCommand } from './commands/pos.js';
import { serveCommand } from './commands/serve.js';
import { validateCommand } from './commands/validate.js';
import { errorJson, formatQrisError, json } from './format.js';
import { internalErrorText, stdoutErrorText } from './guard.js';
import { PayloadError, qrisErrorOf } from './payload-error.js';
import { packageVersion } from './paths.js';

export const COMMANDS: readonly Command[] = [infoCommand, validateCommand, convertCommand, decodeCommand, encodeCommand, serveCommand, posCommand];

function mainHelp(): string {
  return [
    'qris: read, check, convert and draw QRIS payment codes, offline.',
    '',
    'Usage: qris <command> [options]',
    '',
    'Commands:',
    ...columns(
      COMMANDS.map((c) => [c.spec.name, c.spec.summary] as const),
      '  ',
    ),
    '',
    'Run `qris <command> --help` for the options and examples of each command.',
    'Exit codes: 0 success, 1 invalid input, 2 usage error, 70 internal error (set QRIS_DEBUG=1 for details).',
    '',
    'Examples:',
    '  $ qris info sticker.jpg',
    '  $ qris convert sticker.jpg --amount 25000 --png pay.png',
    '  $ qris serve --port 8080',
    '',
  ].join('\n');
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const cmd = topic === undefined ? undefined : COMMANDS.find((c) => c.spec.name === topic);
    if (topic !== undefined && !cmd) return usageError(io, new UsageError(`Unknown command ${describeValue(topic)}.`));
    io.stdout.write(cmd ? renderHelp(cmd.spec) : mainHelp());
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write((await packageVersion()) + '\n');
    return EXIT.OK;
  }
  const cmd = COMMANDS.find((c) => c.spec.name === name);
  if (!cmd) return usageError(io, new UsageError(`Unknown command ${describeValue(name)}.`));
  const wantsJson = rest.includes('--json');
  try {
    const args = parseCommandArgs(cmd.spec, rest);
    if (args.values['help'] === true) {
      io.stdout.write(renderHelp(cmd.spec));
      return EXIT.OK;
    }
    return await cmd.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) return usageError(io, e);
    const qrisError = qrisErrorOf(e);
    if (isStdoutError(e)) {
      const text = stdoutErrorText(e);
      if (text === undefined) return EXIT.OK;
      io.stderr.write(text);
    } else if (qrisError === undefined && !isExpected(e)) {
      io.stderr.write(internalErrorText(e, io.env));
      return EXIT.INTERNAL;
    } else if (wantsJson) {
      io.stdout.write(json({ ok: false, error: errorJson(e) }));
    } else if (qrisError !== undefined) {
      io.stderr.write(formatQrisError(qrisError, e instanceof PayloadError ? e.text : undefined));
    } else {
      const code = (e as { code?: unknown }).code;
      let message = (e as Error).message;
      // fs messages repeat their code ("ENOENT: no such file or directory, open 'x'").
      if (typeof code === 'string' && message.startsWith(code + ': ')) message = message.slice(code.length + 2);
      io.stderr.write(`error${typeof code === 'string' ? ' ' + code : ''}: ${message}\n`);
    }
    return EXIT.INVALID;
  }
}

/** Errors that describe the input or the environment, printed without a stack. */
function isExpected(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (['InputNotFoundError', 'NotARegularFileError', 'NotAnImageError', 'OutputFileError', 'RemoteError'].includes(e.name)) return true;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code); // ENOENT, EACCES, EISDIR ... from fs
}

/** A write to stdout failed (a closed pipe, a full disk): reported once, without the JSON body. */
function isStdoutError(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  // -o FILE failures are OutputFileErrors; nothing but stdout raises these codes otherwise.
  return (code === 'EPIPE' || code === 'ENOSPC') && !(e instanceof Error && e.name === 'OutputFileError');
}

function usageError(io: Io, e: UsageError): number {
  const cmd = e.command === undefined ? undefined : COMMANDS.find((c) => c.spec.name === e.command);
  io.stderr.write(`qris: ${e.message}\n`);
  if (cmd) io.stderr.write(`Usage:\n${cmd.spec.usage.map((u) => `  qris ${u}\n`).join('')}Run \`qris ${cmd.spec.name} --help\` for details.\n`);
  else io.stderr.write('Run `qris --help` for the list of commands.\n');
  return EXIT.USAGE;
}
