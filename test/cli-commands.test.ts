/**
 * The `qris` command end to end: the BUILT bin (dist/esm/cli/main.js, made by `npm run build`) run
 * in child processes, with real files, real stdin, and a real local HTTP server standing in for
 * BAYAR GG. Images are drawn with the library's own toPng (and jimp for JPEG and a blank picture).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Jimp } from 'jimp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { info, toDynamic } from '../src/index.js';
import { toPng } from '../src/image/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'dist', 'esm', 'cli', 'main.js');
const STATIC = readFileSync(join(ROOT, 'fixtures', 'demo', 'static-qris.txt'), 'utf8').trim();
const BAD_CRC = STATIC.slice(0, -4) + '58C8';
/** Cut inside 26: the template declares 57 characters and fewer remain. */
const TRUNCATED = STATIC.slice(0, 60);

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly raw: Buffer;
}

interface RunOptions {
  readonly stdin?: string | Uint8Array;
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
}

/** Runs `node dist/esm/cli/main.js ...args`; never rejects on a non-zero exit. */
function qris(args: readonly string[], options: RunOptions = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, BAYAR_API_KEY: undefined, BAYAR_BASE_URL: undefined, ...options.env };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? work, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const raw = Buffer.concat(out);
      resolve({ code, stdout: raw.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), raw });
    });
    child.stdin.on('error', () => {}); // the command may exit before reading it all
    child.stdin.end(options.stdin ?? '');
  });
}

let work: string;
let png: string; // the static code as a PNG
let jpeg: string; // the same as a JPEG
let blank: string; // a white picture with no QR code
let payloadFile: string;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does).`);
  work = mkdtempSync(join(tmpdir(), 'qris-cli-'));
  png = join(work, 'static.png');
  writeFileSync(png, toPng(STATIC));
  jpeg = join(work, 'static.jpg');
  const img = await Jimp.read(Buffer.from(toPng(STATIC, { scale: 6 })));
  writeFileSync(jpeg, await img.getBuffer('image/jpeg', { quality: 90 }));
  blank = join(work, 'blank.png');
  writeFileSync(blank, await new Jimp({ width: 120, height: 120, color: 0xffffffff }).getBuffer('image/png'));
  payloadFile = join(work, 'payload.txt');
  writeFileSync(payloadFile, STATIC + '\n');
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function parseJson(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}

describe('help, usage errors and exit codes', () => {
  it('qris --help lists every command and the exit codes (exit 0); bare qris prints it with exit 2', async () => {
    const r = await qris(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['info', 'validate', 'convert', 'decode', 'encode', 'serve']) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\s`, 'm'));
    expect(r.stdout).toContain('Exit codes: 0 success, 1 invalid input, 2 usage error');
    const bare = await qris([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toContain('Usage: qris <command>');
  });

  it.each([
    ['info', ['--json']],
    ['validate', ['--json', '--strict']],
    [
      'convert',
      ['--amount', '--fee-fixed', '--fee-percent', '--tip', '--reference', '--png', '--svg', '--terminal', '--json', '--batch', '--remote', 'BAYAR_API_KEY'],
    ],
    ['decode', ['--json']],
    ['encode', ['--output', '--terminal', '--format']],
    [
      'serve',
      [
        '--port',
        '--host',
        '--api-key',
        '--allow-image-url',
        '--max-body',
        '--max-json',
        '--min-body-rate',
        '--body-grace',
        '--max-bodies-per-address',
        '/api/qris-convert.php',
        '/api/qris-info.php',
        '/api/qr.png',
      ],
    ],
  ])('qris %s --help: usage, every option, examples (exit 0)', async (name, mentions) => {
    const r = await qris([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage:\n  qris ${name}`);
    expect(r.stdout).toContain('Options:');
    expect(r.stdout).toMatch(new RegExp(`Examples:\\n(  \\$ qris ${name} .*\\n|  .*\\n)+`));
    for (const m of [...mentions, '--help']) expect(r.stdout).toContain(m);
    // `qris help <command>` prints the same.
    expect((await qris(['help', name])).stdout).toBe(r.stdout);
  });

  it('unknown command, unknown option, missing argument: exit 2 with the usage line', async () => {
    const unknown = await qris(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "frobnicate"');
    const opt = await qris(['info', STATIC, '--bogus']);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toContain("'--bogus'");
    expect(opt.stderr).toContain('Usage:\n  qris info <input>');
    const missing = await qris(['info']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Missing argument');
  });

  it('an unquoted payload (split at its spaces) is a usage error with a hint to quote it', async () => {
    const r = await qris(['info', ...STATIC.split(' ')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unexpected argument "Sayur"');
    expect(r.stderr).toContain('must be quoted');
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await qris(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});

describe('qris info', () => {
  it('prints an aligned block for a payload argument (exit 0)', async () => {
    const r = await qris(['info', STATIC]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    const head = lines.slice(0, lines.indexOf('Accounts'));
    expect(head.length).toBeGreaterThan(8);
    // Every value starts in the same column.
    const columns = new Set(head.map((l) => /^\S.*?\s{2,}(?=\S)/.exec(l)![0].length));
    expect(columns.size).toBe(1);
    expect(r.stdout).toMatch(/^Merchant\s+Warung Sayur Bu Sugeng$/m);
    expect(r.stdout).toMatch(/^City\s+Kab\. Demak$/m);
    expect(r.stdout).toMatch(/^Type\s+static \(11\)$/m);
    expect(r.stdout).toMatch(/^CRC\s+58C7 \(valid\)$/m);
    expect(r.stdout).toMatch(/^ {2}26\s+ID\.DANA\.WWW \(DANA\)/m);
  });

  it('--json prints the info object with the payload', async () => {
    const r = await qris(['info', '--json', STATIC]);
    expect(r.code).toBe(0);
    const j = parseJson(r.stdout);
    expect(j).toMatchObject({ merchantName: 'Warung Sayur Bu Sugeng', merchantCity: 'Kab. Demak', isDynamic: false, payload: STATIC, crc: { valid: true } });
  });

  it('reads a file holding a payload, stdin (-), an image file (PNG and JPEG) and image bytes on stdin', async () => {
    const expected = (await qris(['info', '--json', STATIC])).stdout;
    expect((await qris(['info', '--json', payloadFile])).stdout).toBe(expected);
    expect((await qris(['info', '--json', '-'], { stdin: STATIC + '\r\n' })).stdout).toBe(expected);
    for (const image of [png, jpeg]) {
      const r = await qris(['info', '--json', image]);
      expect(r.code).toBe(0);
      const j = parseJson(r.stdout);
      expect(j['payload']).toBe(STATIC);
      expect(j['image']).toMatchObject({ format: image === png ? 'png' : 'jpeg' });
    }
    const stdinImage = await qris(['info', '-'], { stdin: readFileSync(png) });
    expect(stdinImage.code).toBe(0);
    expect(stdinImage.stdout).toMatch(/^Image\s+stdin \(png, \d+x\d+\)$/m);
    expect(stdinImage.stdout).toMatch(/^Merchant\s+Warung Sayur Bu Sugeng$/m);
  });

  it('a wrong CRC is shown and exits 1', async () => {
    const r = await qris(['info', BAD_CRC]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^CRC\s+58C8 \(INVALID: content gives 58C7\)$/m);
    expect(r.stderr).toContain('CRC_MISMATCH');
  });

  it('a broken payload: exit 1, the error names the code, tag and offset and points at it', async () => {
    const r = await qris(['info', TRUNCATED]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const [first, window, caret] = r.stderr.split('\n');
    expect(first).toMatch(/^error TRUNCATED: .*\(tag 26, offset 12\)$/);
    expect(window).toBe('  ' + TRUNCATED);
    expect(caret).toBe('  ' + ' '.repeat(12) + '^');
  });

  it('with --json the error goes to stdout as { ok: false, error: { code, offset, tag } }', async () => {
    const r = await qris(['info', '--json', TRUNCATED]);
    expect(r.code).toBe(1);
    expect(parseJson(r.stdout)).toMatchObject({ ok: false, error: { code: 'TRUNCATED', offset: 12, tag: '26' } });
  });

  it('a path that names no file: exit 1, says so', async () => {
    const r = await qris(['info', 'no/such/sticker.png']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No such file: no/such/sticker.png');
  });

  it('a text file that is not a payload: exit 1 with the parse error at offset 0', async () => {
    const f = join(work, 'hello.txt');
    writeFileSync(f, 'hello\n');
    const r = await qris(['info', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error BAD_ID: .*offset 0/);
  });
});

describe('qris validate', () => {
  it('a valid code: "valid", exit 0', async () => {
    const r = await qris(['validate', STATIC]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('valid: 0 error(s), 0 warning(s)\n');
  });

  it('a wrong CRC: every issue with code, tag, offset and a caret; exit 1', async () => {
    const r = await qris(['validate', BAD_CRC]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('INVALID: 1 error(s)');
    expect(r.stdout).toMatch(/error CRC_MISMATCH \(tag 63, offset 195\): .*58C8.*58C7/);
    const lines = r.stdout.split('\n');
    const caret = lines.find((l) => /^ +\^$/.test(l))!;
    const shown = lines[lines.indexOf(caret) - 1]!;
    expect(shown.slice(caret.length - 1, caret.length + 3)).toBe('58C8'); // under the declared CRC digits
  });

  it('--json gives { valid, issues, payload }; works on image files and stdin', async () => {
    const bad = await qris(['validate', '--json', '-'], { stdin: BAD_CRC });
    expect(bad.code).toBe(1);
    expect(parseJson(bad.stdout)).toMatchObject({ valid: false, issues: [{ severity: 'error', code: 'CRC_MISMATCH', offset: 195, tag: '63' }] });
    const image = await qris(['validate', '--json', png]);
    expect(image.code).toBe(0);
    expect(parseJson(image.stdout)).toMatchObject({ valid: true, payload: STATIC });
  });
});

describe('qris convert', () => {
  it('human output: payload, merchant, amount; the payload is the dynamic code', async () => {
    const r = await qris(['convert', STATIC, '--amount', '25000']);
    expect(r.code).toBe(0);
    const payload = /^Payload\s+(\S.*)$/m.exec(r.stdout)![1]!;
    expect(payload).toBe(toDynamic(STATIC, { amount: '25000' }));
    // As Indonesians read it: `IDR 25,000` reads as twenty-five.
    expect(r.stdout).toMatch(/^Amount\s+Rp 25\.000$/m);
    expect(r.stdout).toMatch(/^Merchant\s+Warung Sayur Bu Sugeng$/m);
    expect(r.stdout).toMatch(/^Source\s+local$/m);
  });

  it('an amount with cents names the flag (--decimals 2), not the library option; 50.000 says how to write it', async () => {
    const cents = await qris(['convert', STATIC, '--amount', '25000.50']);
    expect(cents.code).toBe(1);
    expect(cents.stderr).toContain('has cents; integer output was asked for (pass --decimals 2 to keep them)');
    expect(cents.stderr).not.toContain('decimals: 2');
    const asJson = await qris(['convert', STATIC, '--amount', '25000.50', '--json']);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ ok: false, error: { code: 'BAD_AMOUNT', message: expect.stringContaining('--decimals 2') } });
    const dots = await qris(['convert', STATIC, '--amount', '50.000']);
    expect(dots.stderr).toContain(`error BAD_AMOUNT: The amount "50.000" has a '.' that is read as a decimal point`);
    expect(dots.stderr).toContain('for Rp 50.000 write 50000');
  });

  it('amounts print as Indonesians read them: Rp 1.500.000,50, a fixed fee Rp 2.500, a percentage 2,5%', async () => {
    const big = await qris(['convert', STATIC, '--amount', '1500000.50', '--decimals', '2']);
    expect(big.stdout).toMatch(/^Amount\s+Rp 1\.500\.000,50$/m);
    const info = await qris(['info', toDynamic(STATIC, { amount: '1500000', fee: { type: 'fixed', value: '2500' } })]);
    expect(info.stdout).toMatch(/^Amount\s+Rp 1\.500\.000$/m);
    expect(info.stdout).toMatch(/^Tip \/ fee\s+fixed fee Rp 2\.500$/m);
    const pct = await qris(['info', toDynamic(STATIC, { amount: '100', fee: { type: 'percent', value: '2.5' } })]);
    expect(pct.stdout).toMatch(/^Amount\s+Rp 100$/m);
    expect(pct.stdout).toMatch(/^Tip \/ fee\s+fee 2,5%$/m);
  });

  it.each([
    [['--fee-fixed', '1500'], { tip: { type: 'fixed', value: '1500' } }],
    [['--fee-percent', '2.5'], { tip: { type: 'percent', value: '2.5' } }],
    [['--tip'], { tip: { type: 'prompt' } }],
    [['--reference', 'INV-042'], { additionalData: { referenceLabel: 'INV-042' } }],
  ] as const)('--json with %j', async (flags, expected) => {
    const r = await qris(['convert', STATIC, '--amount', '10000', '--json', ...flags]);
    expect(r.code).toBe(0);
    const j = parseJson(r.stdout);
    expect(j).toMatchObject({ source: 'local', merchantName: 'Warung Sayur Bu Sugeng', amount: { value: 10000 } });
    const meta = info(j['qris'] as string);
    expect(meta.isDynamic).toBe(true);
    expect(meta.crc.valid).toBe(true);
    expect(meta).toMatchObject(expected);
  });

  it('--png writes an image that decodes back to the converted payload; --svg writes SVG; --terminal draws it', async () => {
    const out = join(work, 'pay.png');
    const r = await qris(['convert', payloadFile, '-a', '25000', '--png', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PNG\s+.*pay\.png \(\d+ bytes\)$/m);
    const back = await qris(['decode', out]);
    expect(back.stdout.trim()).toBe(toDynamic(STATIC, { amount: '25000' }));

    const svg = join(work, 'pay.svg');
    expect((await qris(['convert', STATIC, '-a', '25000', '--svg', svg])).code).toBe(0);
    expect(readFileSync(svg, 'utf8')).toMatch(/<svg[\s>]/);

    const term = await qris(['convert', STATIC, '-a', '25000', '--terminal']);
    expect(term.code).toBe(0);
    const drawing = term.stdout.split('\n').filter((l) => /[█▀▄]/.test(l));
    expect(drawing.length).toBeGreaterThan(20);
    expect(new Set(drawing.map((l) => l.length)).size).toBe(1); // a square block of equal rows
  });

  it('reads an image file and stdin (--quiet prints the payload alone)', async () => {
    const expected = toDynamic(STATIC, { amount: '5000' });
    const image = await qris(['convert', jpeg, '--amount', '5000', '--quiet']);
    expect(image.code).toBe(0);
    expect(image.stdout).toBe(expected + '\n');
    const stdin = await qris(['convert', '-', '--amount', '5000', '-q'], { stdin: STATIC + '\n' });
    expect(stdin.stdout).toBe(expected + '\n');
  });

  it('usage errors exit 2: no --amount, two fee flags, --png with --svg', async () => {
    for (const args of [
      ['convert', STATIC],
      ['convert', STATIC, '-a', '1', '--fee-fixed', '1', '--tip'],
      ['convert', STATIC, '-a', '1', '--png', 'a.png', '--svg', 'a.svg'],
    ]) {
      const r = await qris(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('Usage:');
    }
  });

  it('invalid input exits 1: a bad amount, a wrong CRC (with tag and offset), an already dynamic code', async () => {
    const amount = await qris(['convert', STATIC, '--amount', '12,5']);
    expect(amount.code).toBe(1);
    expect(amount.stderr).toMatch(/^error BAD_AMOUNT: .*tag 54/);
    const crc = await qris(['convert', BAD_CRC, '--amount', '100']);
    expect(crc.code).toBe(1);
    expect(crc.stderr).toMatch(/^error CRC_MISMATCH: .*tag 63, offset 195/);
    expect(crc.stderr).toContain('expected 58C7, found 58C8');
    const dynamic = toDynamic(STATIC, { amount: '100' });
    const again = await qris(['convert', dynamic, '--amount', '200']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('ALREADY_DYNAMIC');
    const replaced = await qris(['convert', dynamic, '--amount', '200', '--replace-amount', '-q']);
    expect(replaced.stdout.trim()).toBe(toDynamic(STATIC, { amount: '200' }));
  });
});

describe('qris convert --batch', () => {
  const lines = () => [STATIC, '', 'GARBAGE', BAD_CRC, `  ${STATIC}  `, TRUNCATED, STATIC];

  it('one NDJSON record per non-empty line, errors included, never stopping; exit 1 when any failed', async () => {
    const file = join(work, 'batch.txt');
    writeFileSync(file, lines().join('\n') + '\n');
    const r = await qris(['convert', '--batch', file, '--amount', '7500']);
    expect(r.code).toBe(1);
    const records = r.stdout.trim().split('\n').map(parseJson);
    expect(records.map((x) => [x['line'], x['ok']])).toEqual([
      [1, true],
      [3, false],
      [4, false],
      [5, true],
      [6, false],
      [7, true],
    ]);
    const good = toDynamic(STATIC, { amount: '7500' });
    for (const rec of records.filter((x) => x['ok'])) expect(rec).toMatchObject({ qris: good, source: 'local' });
    expect(records[1]!['error']).toMatchObject({ code: 'BAD_ID', offset: 0 });
    expect(records[2]!['error']).toMatchObject({ code: 'CRC_MISMATCH', tag: '63', offset: 195 }); // the CRC value
    expect(records[4]!['error']).toMatchObject({ code: 'TRUNCATED', tag: '26', offset: 12 });
    expect(r.stderr).toContain('3 converted, 3 failed');
    expect(r.stderr).not.toContain('\r'); // no progress bar when stderr is not a terminal
  });

  it('reads stdin (--batch -) and writes -o FILE; all good exits 0', async () => {
    const out = join(work, 'out.ndjson');
    const r = await qris(['convert', '--batch', '-', '-a', '100', '--fee-fixed', '500', '-o', out], { stdin: `${STATIC}\r\n${STATIC}\r\n` });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const records = readFileSync(out, 'utf8').trim().split('\n').map(parseJson);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ line: 1, ok: true, qris: toDynamic(STATIC, { amount: '100', fee: { type: 'fixed', value: '500' } }) });
    expect(r.stderr).toContain(`2 converted, 0 failed; wrote ${out}`);
  });

  it('keeps going over many lines with failures mixed in', async () => {
    const file = join(work, 'many.txt');
    const n = 2000;
    writeFileSync(file, Array.from({ length: n }, (_, i) => (i % 7 === 3 ? BAD_CRC : STATIC)).join('\n'));
    const r = await qris(['convert', '--batch', file, '-a', '1']);
    const records = r.stdout.trim().split('\n').map(parseJson);
    expect(records).toHaveLength(n);
    expect(records.filter((x) => !x['ok'])).toHaveLength(Math.floor((n - 4) / 7) + 1);
    expect(records.at(-1)).toMatchObject({ line: n });
  });

  it('a bad amount is reported once, before any line (exit 1); a missing batch file exits 1', async () => {
    const file = join(work, 'two.txt');
    writeFileSync(file, `${STATIC}\n${STATIC}\n`);
    const amount = await qris(['convert', '--batch', file, '-a', '1e5']);
    expect(amount.code).toBe(1);
    expect(amount.stdout).toBe('');
    expect(amount.stderr).toContain('BAD_AMOUNT');
    const missing = await qris(['convert', '--batch', join(work, 'nope.txt'), '-a', '5']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No such batch file');
    const both = await qris(['convert', STATIC, '--batch', file, '-a', '5']);
    expect(both.code).toBe(2);
  });

  // `script` gives the command a pseudo-terminal, so stderr.isTTY is true.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)('draws a progress bar when stderr is a terminal', async () => {
    const file = join(work, 'tty.txt');
    writeFileSync(file, lines().join('\n'));
    const out = join(work, 'tty.ndjson');
    const cmd = [process.execPath, BIN, 'convert', '--batch', file, '-a', '10', '-o', out].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
    // eslint-disable-next-line no-control-regex -- the progress line's ANSI erase (ESC [2K) is what is asserted.
    expect(r.stdout).toMatch(/\r\x1b\[2K\[#+\] 100% {2}6 lines {2}3 failed/);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(6);
  });
});

describe('qris decode', () => {
  it('prints the payload alone from PNG, JPEG and stdin; --json adds format and size', async () => {
    expect((await qris(['decode', png])).stdout).toBe(STATIC + '\n');
    expect((await qris(['decode', jpeg])).stdout).toBe(STATIC + '\n');
    expect((await qris(['decode', '-'], { stdin: readFileSync(png) })).stdout).toBe(STATIC + '\n');
    const j = await qris(['decode', '--json', png]);
    expect(parseJson(j.stdout)).toMatchObject({ payload: STATIC, format: 'png', width: expect.any(Number), height: expect.any(Number) });
  });

  it('no QR code in the picture, or not an image at all: exit 1 with the reason', async () => {
    const none = await qris(['decode', blank]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^error IMAGE_NO_QR: /);
    const text = await qris(['decode', payloadFile]);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('NOT_AN_IMAGE');
    const json = await qris(['decode', '--json', blank]);
    expect(parseJson(json.stdout)).toMatchObject({ ok: false, error: { code: 'IMAGE_NO_QR' } });
  });
});

describe('qris encode', () => {
  it('-o FILE.png / FILE.svg write images that hold the payload; -o - writes PNG bytes to stdout', async () => {
    const out = join(work, 'enc.png');
    const r = await qris(['encode', STATIC, '-o', out, '--size', '400']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*enc\.png \(png, \d+ bytes\)\n$/);
    expect((await qris(['decode', out])).stdout).toBe(STATIC + '\n');
    const svg = join(work, 'enc.svg');
    const s = await qris(['encode', payloadFile, '-o', svg, '--json']);
    expect(parseJson(s.stdout)).toMatchObject({ output: svg, format: 'svg' });
    expect(readFileSync(svg, 'utf8')).toContain('<svg');
    const piped = await qris(['encode', '-', '-o', '-'], { stdin: STATIC });
    expect(piped.code).toBe(0);
    expect([...piped.raw.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('--terminal draws the code', async () => {
    const r = await qris(['encode', STATIC, '--terminal']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.includes('█')).length).toBeGreaterThan(20);
  });

  it('refuses a broken payload (exit 1, nothing written) and bad usage (exit 2)', async () => {
    const out = join(work, 'never.png');
    const bad = await qris(['encode', BAD_CRC, '-o', out]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('CRC_MISMATCH');
    expect(existsSync(out)).toBe(false);
    expect((await qris(['encode', STATIC])).code).toBe(2);
    expect((await qris(['encode', STATIC, '-o', out, '--format', 'gif'])).code).toBe(2);
    expect((await qris(['encode', png, '-o', out])).code).toBe(2);
  });
});

// ---- --remote against a local stand-in for BAYAR GG ---------------------------------------------------

interface FakeBayar {
  readonly baseUrl: string;
  readonly seen: { url: string; headers: IncomingHttpHeaders; body: Buffer }[];
  status: number;
  close(): Promise<void>;
}

async function fakeBayar(): Promise<FakeBayar> {
  const seen: FakeBayar['seen'] = [];
  const fake = { status: 200 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ url: req.url ?? '', headers: req.headers, body });
      if (fake.status !== 200) {
        res.writeHead(fake.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ success: false, message: 'Invalid API key' }));
        return;
      }
      // The multipart upload carries the nominal as a field: answer with the code for it.
      const nominal = /name="nominal"\r\n\r\n([0-9.]+)\r\n/.exec(body.toString('latin1'))?.[1] ?? '0';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ success: true, data: { qris: toDynamic(STATIC, { amount: nominal }) } }));
    });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    baseUrl: `http://127.0.0.1:${port}/api`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

describe('qris convert --remote (BAYAR GG fallback, against a local server)', () => {
  let bayar: FakeBayar;
  beforeAll(async () => {
    bayar = await fakeBayar();
  });
  afterAll(() => bayar?.close());
  const env = () => ({ BAYAR_API_KEY: 'test-key-123', BAYAR_BASE_URL: bayar.baseUrl });

  it('needs BAYAR_API_KEY (exit 2 without it)', async () => {
    const r = await qris(['convert', STATIC, '-a', '1', '--remote']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('BAYAR_API_KEY');
  });

  it('a readable payload is converted locally: no request is made', async () => {
    const before = bayar.seen.length;
    const r = await qris(['convert', STATIC, '-a', '2500', '--remote', '--json'], { env: env() });
    expect(r.code).toBe(0);
    expect(parseJson(r.stdout)).toMatchObject({ source: 'local', verified: 'exact', qris: toDynamic(STATIC, { amount: '2500' }) });
    expect(bayar.seen.length).toBe(before);
  });

  it('an image read by nobody here goes to the server with the key in X-API-Key; the answer is checked', async () => {
    const local = await qris(['convert', blank, '-a', '2500']);
    expect(local.code).toBe(1);
    expect(local.stderr).toContain('IMAGE_NO_QR');

    bayar.status = 200;
    const r = await qris(['convert', blank, '-a', '2500', '--remote', '--json'], { env: env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(parseJson(r.stdout)).toMatchObject({
      source: 'remote',
      verified: 'structure-only',
      qris: toDynamic(STATIC, { amount: '2500' }),
      amount: { value: 2500 },
    });
    // Human output says plainly that only the server read the image.
    const human = await qris(['convert', blank, '-a', '2500', '--remote'], { env: env() });
    expect(human.stdout).toMatch(/Source\s+remote \(structure-only/);
    const req = bayar.seen.at(-1)!;
    expect(req.url).toBe('/api/qris-convert.php');
    expect(req.headers['x-api-key']).toBe('test-key-123');
    expect(req.url).not.toContain('test-key-123');
  });

  it('a refusal by the server is an error with exit 1 (the key is never printed)', async () => {
    bayar.status = 401;
    try {
      const r = await qris(['convert', blank, '-a', '2500', '--remote'], { env: env() });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error/);
      expect(r.stderr).not.toContain('test-key-123');
    } finally {
      bayar.status = 200;
    }
  });
});
