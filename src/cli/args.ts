/**
 * Argument parsing and help text for the `qris` command. Each command declares its options once
 * (name, type, description); `parseCommandArgs` runs node:util `parseArgs` over them and
 * `renderHelp` prints them, so help and parser never drift apart.
 */
import { parseArgs } from 'node:util';

/** Process exit codes: 0 success, 1 invalid input, 2 usage error, 70 internal error (a bug; EX_SOFTWARE). */
export const EXIT = { OK: 0, INVALID: 1, USAGE: 2, INTERNAL: 70 } as const;

/** A mistake in how the command was called (unknown option, missing argument): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The command whose usage line is printed with the error, when known. */
  readonly command: string | undefined;
  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Shown in help after the option name, e.g. `N` in `--amount N`. */
  readonly value?: string;
  readonly description: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** Usage lines without the leading `qris `. */
  readonly usage: readonly string[];
  /** Longer explanation printed under the usage (optional). */
  readonly details?: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Positional arguments allowed: [min, max]. */
  readonly positionals: readonly [number, number];
  readonly examples: readonly string[];
}

export type ParsedValues = Record<string, string | boolean | undefined>;

export interface ParsedCommand {
  readonly values: ParsedValues;
  readonly positionals: string[];
}

/** Options every command accepts. */
export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  help: { type: 'boolean', short: 'h', description: 'Show this help.' },
};

export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedCommand {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, o] of Object.entries({ ...COMMON_OPTIONS, ...spec.options })) {
    options[name] = o.short === undefined ? { type: o.type } : { type: o.type, short: o.short };
  }
  let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(cleanParseArgsMessage(e), spec.name);
  }
  const values: ParsedValues = {};
  for (const [k, v] of Object.entries(parsed.values)) values[k] = Array.isArray(v) ? v[v.length - 1] : v;
  if (values['help'] === true) return { values, positionals: parsed.positionals };
  const [min, max] = spec.positionals;
  const n = parsed.positionals.length;
  if (n < min) throw new UsageError(`Missing argument: ${spec.usage[0] ?? spec.name}`, spec.name);
  if (n > max) {
    // The usual cause: a payload with spaces (merchant names have them) typed without quotes.
    const hint = max === 1 && parsed.positionals[0]!.startsWith('00') ? ' A payload with spaces must be quoted: qris ' + spec.name + " '000201...'" : '';
    throw new UsageError(`Unexpected argument ${JSON.stringify(parsed.positionals[max])}.${hint}`, spec.name);
  }
  return { values, positionals: parsed.positionals };
}

function cleanParseArgsMessage(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  // parseArgs messages end with hints about '--' that do not help here.
  return msg.replace(/\. To specify a positional argument.*$/s, '.').replace(/^Unknown option/, 'Unknown option');
}

/** The string value of an option, or undefined. */
export function str(values: ParsedValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function bool(values: ParsedValues, name: string): boolean {
  return values[name] === true;
}

/** An integer option within [min, max]; a UsageError otherwise. */
export function intOption(values: ParsedValues, name: string, min: number, max: number, command: string): number | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}; got ${JSON.stringify(v)}.`, command);
  }
  return n;
}

/** Throws a UsageError when more than one of `names` is set. */
export function exclusive(values: ParsedValues, names: readonly string[], command: string): void {
  const set = names.filter((n) => values[n] !== undefined && values[n] !== false);
  if (set.length > 1) throw new UsageError(`Use only one of ${set.map((n) => '--' + n).join(', ')}.`, command);
}

// ---- Help ----------------------------------------------------------------------------------------

export function renderHelp(spec: CommandSpec): string {
  const lines: string[] = [];
  lines.push(`qris ${spec.name}: ${spec.summary}`, '', 'Usage:');
  for (const u of spec.usage) lines.push(`  qris ${u}`);
  if (spec.details) lines.push('', ...spec.details.split('\n').map((l) => (l ? '  ' + l : '')));
  const all = { ...spec.options, ...COMMON_OPTIONS };
  const rows: [string, string][] = Object.entries(all).map(([name, o]) => [
    (o.short ? `-${o.short}, ` : '    ') + `--${name}` + (o.value ? ` ${o.value}` : ''),
    o.description,
  ]);
  lines.push('', 'Options:', ...columns(rows, '  '));
  if (spec.examples.length) {
    lines.push('', 'Examples:');
    for (const e of spec.examples) lines.push(e.startsWith('#') ? `  ${e}` : `  $ ${e}`);
  }
  return lines.join('\n') + '\n';
}

/** Two aligned columns. */
export function columns(rows: readonly (readonly [string, string])[], indent = ''): string[] {
  const width = Math.max(0, ...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => (b ? `${indent}${a.padEnd(width)}  ${b}` : `${indent}${a}`));
}

// ---- Commands ------------------------------------------------------------------------------------

/** Streams and environment a command runs with (the process's own, or test doubles). */
export interface Io {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
}

export interface Command {
  readonly spec: CommandSpec;
  /** Runs the command; resolves to the exit code. Throws UsageError, or a PayloadError (a QrisError with its text) for run.ts to report. */
  run(args: ParsedCommand, io: Io): Promise<number>;
}
