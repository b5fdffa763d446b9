/**
 * Where `decodeImage` decodes in Node: in the package's worker pool (the default), started on first
 * use, sized from the cores, reused, never keeping the process alive while idle.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { QrisError, type QrisErrorCode } from '../errors.js';
import { WorkerPool, type PoolErrors, type SerializedError } from './pool.js';
import { ownFile } from './engines.js';

/** The library's own refusals, as QrisErrors. */
export const QRIS_POOL_ERRORS: PoolErrors = {
  busy: (waiting) => new QrisError('IMAGE_TIME_BUDGET', `${waiting} image decodes are already waiting for a worker.`),
  timeout: (ms) => new QrisError('IMAGE_TIME_BUDGET', `Reading the image took longer than the ${ms} ms a worker may take (taskTimeoutMs).`),
  memory: (why, limit) =>
    new QrisError(
      'IMAGE_TOO_LARGE',
      why === 'heap'
        ? 'Reading the image needed more memory than an image worker may use.'
        : `Reading the image took the process past its resident-set limit (${Math.round(limit / 2 ** 20)} MB).`,
    ),
  revive: reviveError,
};

/** A worker's error back as the error it was: a QrisError keeps its code, message and details. */
export function reviveError(e: SerializedError): Error {
  if (e.name === 'QrisError' && e.code) {
    const err = new QrisError(e.code as QrisErrorCode, undefined, {
      ...(e.offset !== undefined ? { offset: e.offset } : {}),
      ...(e.tag !== undefined ? { tag: e.tag } : {}),
      ...(e.expected !== undefined ? { expected: e.expected } : {}),
      ...(e.actual !== undefined ? { actual: e.actual } : {}),
      ...(e.candidates !== undefined ? { candidates: e.candidates } : {}),
    });
    // The message already carries "(tag ..., offset ...)"; keep it as sent.
    Object.defineProperty(err, 'message', { value: e.message });
    return err;
  }
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

/**
 * The worker script beside this module: `worker.js` in a build; from the TypeScript sources (the
 * project's own tests and benchmarks), `worker.ts` behind a bootstrap that registers tsx first.
 */
function workerScript(): URL | string {
  // CommonJS has __filename; ESM (and an `-e` script's global __filename, which is not this file) does not.
  const here = typeof __filename === 'string' && /thread\.[cm]?[jt]s$/.test(__filename) ? __filename : ownFile();
  if (!here) throw new QrisError('IMAGE_ENGINE_MISSING', "qris-codec/image could not locate its worker script; pass { thread: 'caller' }.");
  if (!here.endsWith('.ts')) return pathToFileURL(join(dirname(here), 'worker.js'));
  const ts = pathToFileURL(join(dirname(here), 'worker.ts')).href;
  // Resolved from here (an eval worker resolves bare names from the working directory), through the
  // package's `import` export: require.resolve would give its CommonJS entry.
  const pkg = createRequire(here).resolve('tsx/package.json');
  const entry = (JSON.parse(readFileSync(pkg, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!.import.default;
  const tsx = pathToFileURL(join(dirname(pkg), entry)).href;
  // A worker does not run the parent's --import modules (loaders, resolution hooks): run them first.
  const imports = JSON.stringify(importsOf(process.execArgv));
  return `(async () => { for (const m of ${imports}) await import(m); (await import(${JSON.stringify(tsx)})).register(); await import(${JSON.stringify(ts)}); })();`;
}

/** The modules a Node command line preloads with `--import`. */
function importsOf(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--import' && i + 1 < argv.length) out.push(argv[++i]!);
    else if (a.startsWith('--import=')) out.push(a.slice('--import='.length));
  }
  return out;
}

let shared: WorkerPool<unknown> | undefined;

/** The pool `decodeImage` uses: one per process, started on first use. */
export function decodePool(): WorkerPool<unknown> {
  if (!shared) {
    // One core stays for the caller's event loop; at most 4 (decodes are memory-heavy).
    const size = Math.max(1, Math.min(4, availableParallelism() - 1));
    shared = new WorkerPool(workerScript(), { size, taskTimeoutMs: 60_000, errors: QRIS_POOL_ERRORS });
  }
  return shared;
}
