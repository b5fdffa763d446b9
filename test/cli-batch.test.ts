/**
 * `qris convert --batch` and the CLI's failure paths, on the BUILT bin (dist/esm/cli/main.js, made
 * by `npm run build`) in child processes: real files, FIFOs, process substitution, /dev/full, closed
 * pipes, a 50 MB line, -o naming the input, a missing directory, and sabotaged internals. Every
 * stderr seen is checked for stack traces at the end.
 */
import { spawn, spawnSync, type StdioOptions } from 'node:child_process';
import { closeSync, existsSync, linkSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDynamic } from '../src/index.js';
import dev from '../fixtures/dev-payloads.json' with { type: 'json' };
import generated from '../fixtures/generated-payloads.json' with { type: 'json' };
import { readlineBatch } from './cli-batch-reference.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = process.env['QRIS_CLI_BIN'] ?? join(ROOT, 'dist', 'esm', 'cli', 'main.js');
const STATIC = readFileSync(join(ROOT, 'fixtures', 'demo', 'static-qris.txt'), 'utf8').trim();
const BAD_CRC = STATIC.slice(0, -4) + '58C8';
const STACK_LINE = /^\s+at .+[(:]\d+/m;

interface Result {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Every stderr any run produced, for the final stack-trace count. */
const stderrs: string[] = [];

interface RunOptions {
  readonly stdin?: string;
  /** Overrides the child's stdio (fds or 'pipe'); stdout/stderr are captured only when 'pipe'. */
  readonly stdio?: StdioOptions;
  readonly env?: Record<string, string>;
  readonly nodeArgs?: readonly string[];
  /** Called once the child is spawned. */
  readonly started?: (child: ReturnType<typeof spawn>) => void;
}

function qris(args: readonly string[], options: RunOptions = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, BAYAR_API_KEY: '' };
    delete env['QRIS_DEBUG'];
    Object.assign(env, options.env);
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], { cwd: work, env, stdio: options.stdio ?? ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      stderrs.push(stderr);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
    if (child.stdin) {
      child.stdin.on('error', () => {});
      child.stdin.end(options.stdin ?? '');
    }
    options.started?.(child);
  });
}

/** Runs a bash script (for pipes into `head` and process substitution); `q` runs qris. */
function bash(script: string): { status: number | null; stdout: string; stderr: string } {
  const q = 'q() { "$QRIS_NODE" "$QRIS_BIN" "$@"; }; ';
  const r = spawnSync('bash', ['-c', q + script], {
    cwd: work,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, QRIS_NODE: process.execPath, QRIS_BIN: BIN },
  });
  stderrs.push(r.stderr);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const records = (text: string) => lines(text).map((l) => JSON.parse(l) as Record<string, unknown>);

let work: string;
/** 1,000 lines: good codes, bad CRCs, garbage, blanks. */
let batchFile: string;
let batchText: string;
const N = 1000;

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does).`);
  work = mkdtempSync(join(tmpdir(), 'qris-batch-'));
  batchText = Array.from({ length: N }, (_, i) => (i % 10 === 3 ? BAD_CRC : i % 10 === 7 ? 'GARBAGE' : i % 50 === 9 ? '' : STATIC)).join('\n') + '\n';
  batchFile = join(work, 'batch.txt');
  writeFileSync(batchFile, batchText);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * A writer on a FIFO in its own process (`cat > fifo`): opening a FIFO blocks until a reader comes,
 * and a blocked open in this process would hold one of libuv's few threads for good.
 */
function fifoWriter(path: string, text: string): { end(): void; kill(): void } {
  const cat = spawn('sh', ['-c', 'exec cat > "$0"', path], { stdio: ['pipe', 'ignore', 'ignore'] });
  cat.stdin.on('error', () => {});
  cat.stdin.write(text);
  return { end: () => cat.stdin.end(), kill: () => cat.kill('SIGKILL') };
}

function mkfifo(name: string): string {
  const path = join(work, name);
  rmSync(path, { force: true });
  const r = spawnSync('mkfifo', [path]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr.toString()}`);
  return path;
}

describe('-o never destroys the input', () => {
  it('refuses -o naming the batch file (same path, hard link, symlink, stdin redirect): exit 2, the file intact', async () => {
    const file = join(work, 'self.txt');
    writeFileSync(file, batchText);
    const hard = join(work, 'self-hard.txt');
    const sym = join(work, 'self-sym.txt');
    linkSync(file, hard);
    symlinkSync(file, sym);
    for (const [input, out] of [
      [file, file],
      [file, hard],
      [sym, file],
      [file, sym],
    ] as const) {
      const r = await qris(['convert', '--batch', input, '-a', '5', '-o', out]);
      expect(r.code, `${input} -o ${out}`).toBe(2);
      expect(r.stderr).toContain('is the batch input');
      expect(readFileSync(file, 'utf8')).toBe(batchText);
    }
    const fd = openSync(file, 'r');
    try {
      const r = await qris(['convert', '--batch', '-', '-a', '5', '-o', file], { stdio: [fd, 'pipe', 'pipe'] });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('is the batch input (stdin)');
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(file, 'utf8')).toBe(batchText);
  });

  it('-o an existing other file: replaced only at the end; killed midway (SIGKILL or SIGTERM) the old content stays', async () => {
    const out = join(work, 'old.ndjson');
    for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
      writeFileSync(out, 'OLD CONTENT\n');
      const fifo = mkfifo(`slow-${signal}.fifo`);
      const writer = fifoWriter(fifo, batchText); // kept open: the run stays in the middle
      let seenOld = false;
      const r = await qris(['convert', '--batch', fifo, '-a', '5', '-o', out], {
        started: (child) => {
          const poll = setInterval(() => {
            // The first lines have been converted and written (to the temporary file) by now.
            if (readdirSync(work).some((f) => f.startsWith('.old.ndjson.'))) {
              clearInterval(poll);
              seenOld = readFileSync(out, 'utf8') === 'OLD CONTENT\n';
              setTimeout(() => child.kill(signal), 200);
            }
          }, 20);
        },
      });
      writer.kill();
      expect(r.signal).toBe(signal);
      expect(seenOld).toBe(true);
      expect(readFileSync(out, 'utf8')).toBe('OLD CONTENT\n');
      if (signal === 'SIGTERM') expect(readdirSync(work).filter((f) => f.startsWith('.old.ndjson.'))).toEqual([]); // cleaned up
      for (const f of readdirSync(work).filter((f) => f.startsWith('.old.ndjson.'))) rmSync(join(work, f));
    }
    const done = await qris(['convert', '--batch', batchFile, '-a', '5', '-o', out]);
    expect(done.code).toBe(1); // some lines fail by design
    expect(records(readFileSync(out, 'utf8'))).toHaveLength(N - N / 50);
    expect(readdirSync(work).filter((f) => f.startsWith('.old.ndjson.'))).toEqual([]);
  });

  it('-o in a missing directory: one line, exit 1, before the input is even opened', async () => {
    // A FIFO nobody writes to: opening it to read would block, so finishing proves -o came first.
    const fifo = mkfifo('never.fifo');
    const r = await qris(['convert', '--batch', fifo, '-a', '5', '-o', 'missing/dir/out.ndjson']);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual(['error ENOENT: Cannot write missing/dir/out.ndjson: the directory missing/dir does not exist.']);
    expect(existsSync(join(work, 'missing'))).toBe(false);
  });

  it('every non-blank line gets exactly one record, in order (lines lost: 0)', async () => {
    const out = join(work, 'all.ndjson');
    const r = await qris(['convert', '--batch', batchFile, '-a', '5', '-o', out]);
    const got = records(readFileSync(out, 'utf8'));
    const want = batchText
      .split('\n')
      .map((l, i) => [l, i + 1] as const)
      .filter(([l]) => l.trim() !== '')
      .map(([, n]) => n);
    expect(got.map((x) => x['line'])).toEqual(want);
    expect(r.stderr).toContain(`${got.filter((x) => x['ok']).length} converted, ${got.filter((x) => !x['ok']).length} failed; wrote ${out}`);
  });
});

describe('errors on stdout', () => {
  it('> /dev/full: exit 1 with one line on stderr (batch, info, convert)', async () => {
    for (const args of [
      ['convert', '--batch', batchFile, '-a', '5'],
      ['info', STATIC],
      ['convert', STATIC, '-a', '5'],
      ['info', '--json', 'GARBAGE'],
    ]) {
      const fd = openSync('/dev/full', 'w');
      try {
        const r = await qris(args, { stdio: ['pipe', fd, 'pipe'] });
        expect(r.code, args.join(' ')).toBe(1);
        expect(lines(r.stderr)).toEqual(['qris: cannot write to standard output: no space left on the device.']);
      } finally {
        closeSync(fd);
      }
    }
  });

  it('a closed pipe (| head -1): exit 0, nothing on stderr', () => {
    const big = join(work, 'big-batch.txt');
    writeFileSync(big, (STATIC + '\n').repeat(20_000));
    const r = bash(`q convert --batch big-batch.txt -a 5 | head -1; echo "status=\${PIPESTATUS[0]}"`);
    const [first, status] = lines(r.stdout);
    expect(JSON.parse(first!)).toMatchObject({ line: 1, ok: true });
    expect(status).toBe('status=0');
    expect(r.stderr).toBe('');
    const help = bash(`q convert --help | head -1; echo "status=\${PIPESTATUS[0]}"`);
    expect(lines(help.stdout).at(-1)).toBe('status=0');
  });
});

describe('a 50 MB line', () => {
  it('is neither held in memory nor echoed: bounded RSS, a small LINE_TOO_LONG record naming the limit, the lines around it converted', async () => {
    const file = join(work, 'huge-line.txt');
    const fd = openSync(file, 'w');
    writeFileSync(fd, STATIC + '\n');
    const mb = Buffer.alloc(1024 * 1024, 0x41);
    for (let i = 0; i < 50; i++) writeFileSync(fd, mb);
    writeFileSync(fd, '\n' + STATIC + '\n');
    closeSync(fd);
    const rssFile = join(work, 'rss.txt');
    const preload = join(work, 'rss.mjs');
    writeFileSync(
      preload,
      `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`,
    );
    const measure = async (args: string[]) => {
      const r = await qris(args, { nodeArgs: ['--import', preload] });
      return { r, rssKb: Number(readFileSync(rssFile, 'utf8')) };
    };
    const small = await measure(['convert', '--batch', batchFile, '-a', '5']);
    const huge = await measure(['convert', '--batch', file, '-a', '5']);
    expect(huge.r.code).toBe(1);
    expect(huge.r.stdout.length).toBeLessThan(2000);
    const recs = records(huge.r.stdout);
    expect(recs.map((x) => [x['line'], x['ok']])).toEqual([
      [1, true],
      [2, false],
      [3, true],
    ]);
    expect(recs[1]).toMatchObject({ input: 'A'.repeat(40) + '…', error: { code: 'LINE_TOO_LONG', limit: 4096, bytes: 50 * 1024 * 1024 } });
    expect(String((recs[1]!['error'] as { message: string }).message)).toContain('4096');
    // Holding the line would take >= 50 MB (100 MB as a JS string); the reader holds 4 KiB of it.
    expect(huge.rssKb - small.rssKb).toBeLessThan(30 * 1024);
    // The same from stdin, and with a raised cap.
    const viaStdin = await qris(['convert', '--batch', '-', '-a', '5', '--max-line-bytes', '100'], { stdio: [openSync(file, 'r'), 'pipe', 'pipe'] });
    expect(records(viaStdin.stdout).map((x) => x['ok'])).toEqual([false, false, false]); // 200-character payloads are over 100 bytes
  }, 60_000);

  it('error records quote at most 40 characters of their line', async () => {
    const r = await qris(['convert', '--batch', '-', '-a', '5'], { stdin: `${BAD_CRC}\n${'9'.repeat(3000)}\n` });
    const recs = records(r.stdout);
    expect(recs).toHaveLength(2);
    for (const rec of recs) expect(String(rec['input']).length).toBeLessThanOrEqual(41);
    expect(recs[0]!['input']).toBe(BAD_CRC.slice(0, 40) + '…');
    expect(r.stdout.length).toBeLessThan(1000);
  });
});

describe('FIFOs, process substitution, devices', () => {
  it('--batch reads a FIFO, <(command) and /dev/fd/N', async () => {
    const fifo = mkfifo('in.fifo');
    fifoWriter(fifo, `${STATIC}\n${STATIC}\n`).end();
    const viaFifo = await qris(['convert', '--batch', fifo, '-a', '5']);
    expect(viaFifo.code).toBe(0);
    expect(records(viaFifo.stdout)).toHaveLength(2);

    const sub = bash(`q convert --batch <(for i in 1 2 3; do echo '${STATIC}'; done) -a 5`);
    expect(sub.status).toBe(0);
    expect(records(sub.stdout).map((x) => x['qris'])).toEqual(Array(3).fill(toDynamic(STATIC, { amount: 5 })));

    // A pipe on fd 3, opened by path (a socket there could not be: open() refuses sockets, ENXIO).
    const fd3 = bash(`q convert --batch /dev/fd/3 -a 5 3< <(echo '${STATIC}')`);
    expect(fd3.status).toBe(0);
    expect(records(fd3.stdout)).toHaveLength(1);
  });

  it('qris info on a FIFO or a device says it is not a regular file (not "No such file"), without opening it', async () => {
    const fifo = mkfifo('info.fifo'); // nobody writes: reading it would hang
    for (const [path, kind] of [
      [fifo, 'a FIFO or pipe'],
      ['/dev/null', 'a character device'],
    ] as const) {
      const r = await qris(['info', path]);
      expect(r.code).toBe(1);
      expect(lines(r.stderr)).toEqual([
        `error NOT_A_REGULAR_FILE: ${path} is not a regular file (it is ${kind}). To read from it, use - and redirect: qris <command> - < ${path}`,
      ]);
    }
    const sub = bash(`q info <(echo '${STATIC}')`);
    expect(sub.status).toBe(1);
    expect(sub.stderr).toContain('is not a regular file');
    expect(sub.stderr).not.toContain('No such file');
  });
});

describe('chunked reading gives the bytes readline gave', () => {
  it('binary output equals the readline reference on the corpus with every line ending, blanks, spaces and bad lines', async () => {
    const payloads = [...dev.map((e) => e.payload), ...generated.map((e) => e.payload)];
    const mixed = payloads.flatMap((p, i) => [p, i % 5 === 0 ? '' : `  ${p.slice(0, -1)}X `, '\t' + p]);
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = '\uFEFF' + mixed.join(eol) + eol + 'é€😀 not a payload' + eol + Buffer.from([0xff, 0xfe]).toString('latin1');
      const bytes = Buffer.concat([Buffer.from(mixed.join(eol) + eol), Buffer.from([0xe2, 0x82, 0x0a, 0xff]), Buffer.from(eol + text)]);
      const file = join(work, `corpus-${eol.length}-${eol.charCodeAt(0)}.txt`);
      writeFileSync(file, Buffer.concat([bytes, Buffer.from('\n')]));
      const r = await qris(['convert', '--batch', file, '-a', '12500', '--fee-percent', '0.7']);
      const want = await readlineBatch([readFileSync(file)], { amount: '12500', fee: { type: 'percent', value: '0.7' } });
      expect(r.stdout).toBe(want);
      expect(records(r.stdout).some((x) => x['ok'])).toBe(true);
      expect(records(r.stdout).some((x) => !x['ok'])).toBe(true);
    }
  });
});

describe('no stack trace reaches the user', () => {
  const sabotage = (name: string, code: string) => {
    const file = join(work, `${name}.mjs`);
    writeFileSync(file, code);
    return ['--import', file];
  };

  it('an internal error (a bug) is one line with exit 70; QRIS_DEBUG=1 shows the stack', async () => {
    const cases = [
      // A throw inside the command (String.prototype.trim is used on every batch line).
      sabotage('trim', `String.prototype.trim = function () { throw new TypeError('sabotaged trim'); };\n`),
      // An exception thrown outside any promise chain, and an unhandled rejection.
      // (after 300 ms: the run is then waiting on the FIFO below)
      sabotage('uncaught', `setTimeout(() => { throw new RangeError('sabotaged timer'); }, 300);\n`),
      sabotage('rejection', `setTimeout(() => { Promise.reject(new Error('sabotaged promise')); }, 300);\n`),
    ];
    const input = join(work, 'slow.fifo');
    for (const nodeArgs of cases) {
      mkfifo('slow.fifo');
      const writer = fifoWriter(input, `${STATIC}\n`);
      const r = await qris(['convert', '--batch', input, '-a', '5'], { nodeArgs });
      writer.kill();
      expect(r.code, nodeArgs[1]).toBe(70);
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toMatch(
        /^qris: internal error \((TypeError|RangeError|Error): sabotaged .*\); this is a bug in qris, not in your input\. Set QRIS_DEBUG=1 for details\.\n$/,
      );
    }
    const debug = await qris(['convert', '--batch', batchFile, '-a', '5'], { nodeArgs: cases[0]!, env: { QRIS_DEBUG: '1' } });
    stderrs.pop(); // asked for
    expect(debug.code).toBe(70);
    expect(debug.stderr).toMatch(STACK_LINE);
  });

  it('usage errors, bad input and a bad environment are one line or a usage block, never a stack', async () => {
    const dir = join(work, 'a-dir');
    rmSync(dir, { recursive: true, force: true });
    const dirFd = openSync(work, 'r');
    const runs = await Promise.all([
      qris(['convert', '--batch', 'nope.txt', '-a', '5']),
      qris(['convert', '--batch', work, '-a', '5']),
      qris(['convert', '--batch', batchFile, '-a', 'abc']),
      qris(['convert', '--batch', batchFile, '-a', '5', '-o', work]),
      qris(['convert', '--batch', batchFile, '-a', '5', '-o', join(batchFile, 'x')]),
      qris(['convert', '--batch', batchFile, '-a', '5', '--max-line-bytes', '1']),
      qris(['info', '-'], { stdio: [dirFd, 'pipe', 'pipe'] }), // stdin is a directory: EISDIR
      qris(['info', '-'], { stdin: 'x'.repeat(100_000) }),
    ]);
    closeSync(dirFd);
    for (const r of runs) {
      expect([1, 2], r.stderr).toContain(r.code);
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(r.stderr).not.toContain('internal error');
    }
  });

  afterAll(() => {
    // The count for the report: every stderr of every run in this file.
    const traces = stderrs.filter((s) => STACK_LINE.test(s));
    expect(traces).toEqual([]);
  });
});
