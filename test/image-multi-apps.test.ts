/**
 * Issue 17, every caller follows the one rule: the `qris` CLI (decode, info, validate, convert, and
 * image lines in batch mode), `qris serve` (a 422), and convertWithFallback's local read (the server
 * is never asked to choose). The BUILT bin runs in child processes; the servers listen on 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDynamic } from '../src/index.js';
import { convertWithFallback, createBayarClient } from '../src/remote/index.js';
import { LAYOUTS, MENU_URL, ORIGINAL, tamper, type Picture } from './multi-code-pictures.js';
import { json, startServer, type TestServer } from './remote-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'dist', 'esm', 'cli', 'main.js');
const TAMPERED = tamper(ORIGINAL);

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function qris(args: readonly string[], cwd: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env['BAYAR_API_KEY'];
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let work: string;
const files: Record<string, string> = {};
const pictures: Record<string, Picture> = {};

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does).`);
  work = mkdtempSync(join(tmpdir(), 'qris-multi-'));
  for (const name of ['side-by-side-ab', 'stacked', 'url-beside', 'same-twice']) {
    const p = await LAYOUTS.find((l) => l.name === name)!.build(ORIGINAL, TAMPERED);
    pictures[name] = p;
    files[name] = join(work, `${name}.png`);
    writeFileSync(files[name], p.bytes);
  }
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the qris CLI', () => {
  it.each([
    ['decode', []],
    ['info', []],
    ['validate', []],
    ['convert', ['--amount', '25000']],
  ] as const)('%s on a picture with two different payment codes: refused, nothing printed to stdout, exit non-zero', async (command, extra) => {
    const r = await qris([command, files['side-by-side-ab']!, ...extra], work);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('IMAGE_MULTIPLE_CODES');
    expect(r.stderr).toContain('The picture holds 2 different payment codes, so none was used');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('convert on the controls: the QRIS beside a URL, and the same code twice, convert normally', async () => {
    for (const name of ['url-beside', 'same-twice']) {
      const r = await qris(['convert', files[name]!, '--amount', '25000', '--json'], work);
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { qris: string }).qris).toBe(toDynamic(ORIGINAL, { amount: 25000 }));
    }
  });

  it('decode --all prints every code; --json gives kinds and copies', async () => {
    const r = await qris(['decode', files['side-by-side-ab']!, '--all'], work);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${ORIGINAL}\n${TAMPERED}\n`);
    const j = await qris(['decode', files['url-beside']!, '--all', '--json'], work);
    const body = JSON.parse(j.stdout) as { codes: { text: string; kind: string; copies: number }[] };
    expect(body.codes.map((c) => [c.text, c.kind, c.copies])).toEqual([
      [MENU_URL, 'other', 1],
      [ORIGINAL, 'qris', 1],
    ]);
  });

  it('batch mode: an image line with two codes is an error record with the code and both candidates; the others convert', async () => {
    const list = join(work, 'lines.txt');
    writeFileSync(list, `${files['side-by-side-ab']}\n${files['url-beside']}\n${ORIGINAL}\n`);
    const r = await qris(['convert', '--batch', list, '--amount', '25000'], work);
    expect(r.code).not.toBe(0); // a line failed
    const records = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; ok: boolean; qris?: string; error?: { code: string; candidates?: string[] } });
    expect(records.map((x) => x.ok)).toEqual([false, true, true]);
    expect(records[0]!.error).toMatchObject({ code: 'IMAGE_MULTIPLE_CODES', candidates: [ORIGINAL, TAMPERED] });
    expect(records[1]!.qris).toBe(toDynamic(ORIGINAL, { amount: 25000 }));
  });
});

describe('qris serve', () => {
  it('a picture with two different payment codes: 422 IMAGE_MULTIPLE_CODES with both candidates; the control converts', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--api-key', 'multi-test-key', '--workers', '1'], {
      env: { ...process.env, QRIS_SERVE_API_KEY: undefined },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error('qris serve did not start')), 20_000);
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      const post = async (name: string) => {
        const res = await fetch(`${url}/api/qris-convert.php`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': 'multi-test-key' },
          body: JSON.stringify({ image: pictures[name]!.bytes.toString('base64'), nominal: 25000 }),
        });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      const refused = await post('stacked');
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ success: false, code: 'IMAGE_MULTIPLE_CODES', candidates: [ORIGINAL, TAMPERED] });
      expect(String(refused.body['message'])).toContain('2 different payment codes');
      // The library's advice to pass { all: true } is for library callers, not API callers.
      expect(String(refused.body['error'])).not.toContain('all: true');
      expect(refused.body['error']).toBe(refused.body['message']);
      const ok = await post('url-beside');
      expect(ok.status).toBe(200);
      expect(ok.body['qris']).toBe(toDynamic(ORIGINAL, { amount: 25000 }));
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('convertWithFallback', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
    server.reply(json(200, { success: true, data: { converted_qris: toDynamic(TAMPERED, { amount: 25000 }) } }));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('the local read refuses a two-code picture and the server is never asked to choose', async () => {
    const client = createBayarClient({ apiKey: 'fallback-key-123', baseUrl: server.baseUrl, retryDelayMs: 1 });
    const e = await convertWithFallback(pictures['side-by-side-ab']!.bytes, { amount: 25000, client }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'IMAGE_MULTIPLE_CODES', candidates: [ORIGINAL, TAMPERED] });
    expect(server.seen).toHaveLength(0);
  });
});
