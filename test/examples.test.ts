/**
 * The programs in examples/ run as a user runs them: `node examples/<file>` in a child process,
 * importing the package BY NAME ('qris-codec', resolved through the package's own `exports` to the
 * built dist/), servers on 127.0.0.1 only. tsc checks them against the built types (JSDoc for the
 * Node ones; DOM lib and the `browser` condition for the page), and the browser page is bundled
 * with esbuild and driven in headless Chromium when one is installed. Needs dist/ (npm run build).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Jimp } from 'jimp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import corpus from '../fixtures/dev-payloads.json' with { type: 'json' };
import { info, toDynamic } from '../src/index.js';
import { toPng } from '../src/image/index.js';
import { bundle, ROOT } from './bundlers.js';
import { png as rawPng } from './image-bombs.js';

const run = promisify(execFile);
const EXAMPLES = join(ROOT, 'examples');
const STATIC = readFileSync(join(ROOT, 'fixtures', 'demo', 'static-qris.txt'), 'utf8').trim();
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** `node examples/<file> ...args`: exit code, stdout, stderr. */
async function node(file: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}) {
  try {
    const r = await run(process.execPath, [join(EXAMPLES, file), ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

describe('every example type-checks against the built package', () => {
  it('the Node examples (JSDoc, strict) and the browser page (DOM lib, browser condition, no Node types)', async () => {
    for (const project of [join(EXAMPLES, 'tsconfig.json'), join(EXAMPLES, 'browser', 'tsconfig.json')]) {
      const r = await run(process.execPath, [TSC, '-p', project], { cwd: ROOT, timeout: 120_000 }).catch((e: { stdout?: string }) => ({
        stdout: e.stdout ?? 'tsc failed',
      }));
      expect(r.stdout, project).toBe('');
    }
  }, 180_000);
});

describe('examples/backend-convert.mjs', () => {
  it('prints the dynamic code for an amount and an invoice', async () => {
    const r = await node('backend-convert.mjs', ['25000', 'INV-7']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toEqual({
      qris: toDynamic(STATIC, { amount: 25000, billNumber: 'INV-7' }),
      merchant: 'Warung Sayur Bu Sugeng',
      amount: '25000',
      invoice: 'INV-7',
    });
  });

  it('an amount written 50.000 fails with the sentence that says how to write it (exit 1)', async () => {
    const r = await node('backend-convert.mjs', ['50.000']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`BAD_AMOUNT: The amount "50.000" has a '.' that is read as a decimal point`);
    expect(r.stderr).toContain('write 50000');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('STATIC_QRIS picks the merchant code', async () => {
    const other = corpus.map((e) => e.payload).find((p) => p.includes('010211') && info(p).merchantName !== 'Warung Sayur Bu Sugeng')!;
    const r = await node('backend-convert.mjs', ['1000', 'A-1'], { STATIC_QRIS: other });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ qris: toDynamic(other, { amount: 1000, billNumber: 'A-1' }), merchant: info(other).merchantName });
  });
});

describe('examples/batch-validate.mjs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'qris-batch-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('one JSON line per payload, a summary on stderr, exit 1 when a line is invalid', async () => {
    const file = join(dir, 'merchants.txt');
    const badCrc = STATIC.slice(0, -4) + (STATIC.endsWith('0000') ? '1111' : '0000');
    writeFileSync(file, [STATIC, '', badCrc, toDynamic(STATIC, { amount: 5000 }) + '\r'].join('\n') + '\n');
    const r = await node('batch-validate.mjs', [file]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('3 checked, 1 invalid');
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l['line'], l['valid']])).toEqual([
      [1, true],
      [3, false],
      [4, true],
    ]);
    expect(lines[0]).toMatchObject({ merchant: 'Warung Sayur Bu Sugeng', city: 'Kab. Demak', dynamic: false });
    expect(lines[1]!['errors']).toEqual([expect.objectContaining({ code: 'CRC_MISMATCH', tag: '63' })]);
    expect(lines[2]).toMatchObject({ dynamic: true });
  });

  it('a file of valid codes exits 0; no file is a usage error (exit 2)', async () => {
    const file = join(dir, 'ok.txt');
    writeFileSync(file, STATIC + '\n');
    expect((await node('batch-validate.mjs', [file])).code).toBe(0);
    expect((await node('batch-validate.mjs', [])).code).toBe(2);
  });
});

describe('examples/upload-server.mjs (node:http, no framework)', () => {
  let child: ChildProcess;
  let url: string;
  let blank: Buffer;

  beforeAll(async () => {
    blank = await new Jimp({ width: 120, height: 120, color: 0xffffffff }).getBuffer('image/png');
    child = spawn(process.execPath, [join(EXAMPLES, 'upload-server.mjs')], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/merchant\/qris)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`the server exited (${code}): ${out}`)));
      setTimeout(() => reject(new Error('the server did not start')), 30_000);
    });
  }, 40_000);
  afterAll(() => {
    child?.kill();
  });

  const post = async (body: BodyInit, headers: Record<string, string> = {}) => {
    const res = await fetch(url, { method: 'POST', body, headers });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const form = (bytes: Uint8Array, name = 'sticker.png') => {
    const f = new FormData();
    f.append('image', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), name);
    return f;
  };

  it('200 for the merchant sticker, uploaded as a form or as the raw body', async () => {
    const png = toPng(STATIC);
    const expected = { ok: true, status: 200, payload: STATIC, merchant: 'Warung Sayur Bu Sugeng', city: 'Kab. Demak' };
    expect(await post(form(png))).toMatchObject({ status: 200, body: expected });
    expect(await post(new Uint8Array(png), { 'content-type': 'image/png' })).toMatchObject({ status: 200, body: expected });
  });

  const formWithout = () => {
    const f = new FormData();
    f.append('note', 'no picture');
    return f;
  };

  it('a status and a stable code for each failure', async () => {
    const cases: [string, BodyInit, Record<string, string>, number, string][] = [
      ['a dynamic code (a receipt)', form(toPng(toDynamic(STATIC, { amount: 5000 }))), {}, 422, 'NOT_STATIC'],
      ['a picture without a QR code', form(blank), {}, 422, 'IMAGE_NO_QR'],
      ['text, not a picture', 'hello', { 'content-type': 'text/plain' }, 415, 'IMAGE_UNSUPPORTED_FORMAT'],
      [
        'a 100000x100000 PNG header (a bomb)',
        new Uint8Array(rawPng(100_000, 100_000, 8, 0, 0, Buffer.alloc(16))),
        { 'content-type': 'image/png' },
        413,
        'IMAGE_TOO_LARGE',
      ],
      ['a form without the image field', formWithout(), {}, 400, 'NO_PICTURE'],
      ['an empty body', new Uint8Array(0), { 'content-type': 'image/png' }, 400, 'NO_PICTURE'],
      ['a PNG cut short', new Uint8Array(toPng(STATIC).subarray(0, 60)), { 'content-type': 'image/png' }, 422, 'IMAGE_CORRUPT'],
    ];
    for (const [name, body, headers, status, code] of cases) {
      const r = await post(body, headers);
      expect([name, r.status, r.body['code']]).toEqual([name, status, code]);
      expect(r.body['ok']).toBe(false);
      expect(typeof r.body['message']).toBe('string');
      expect(String(r.body['message'])).not.toMatch(/\n\s+at /);
    }
    const notFound = await fetch(url.replace('/merchant/qris', '/'));
    expect(notFound.status).toBe(404);
  });

  it('a body declared over the limit is answered 413 before it is read', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { 'content-type': 'image/png', 'content-length': String(64 * 1024 * 1024) } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.write(Buffer.alloc(1024)); // 1 KiB of the 64 MiB announced, then nothing
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, code: 'BODY_TOO_LARGE' });
  });
});

const HAVE_CHROMIUM = existsSync(CHROMIUM);

describe('examples/browser (app.ts + index.html)', () => {
  it('bundles for the browser by name, with no node: import', async () => {
    const b = await bundle(readFileSync(join(EXAMPLES, 'browser', 'app.ts'), 'utf8'), { minify: true });
    expect(b.warnings).toEqual([]);
    expect(b.inputs.filter((i) => i.startsWith('node:'))).toEqual([]);
    expect(b.inputs.some((i) => i.includes('dist/esm/image/browser.js'))).toBe(true);
  });

  describe.skipIf(!HAVE_CHROMIUM)(HAVE_CHROMIUM ? 'in headless Chromium' : `in headless Chromium: SKIPPED, no browser at ${CHROMIUM}`, () => {
    let server: Server;
    let base: string;
    const outside: string[] = [];

    beforeAll(async () => {
      const app = await bundle(readFileSync(join(EXAMPLES, 'browser', 'app.ts'), 'utf8'), { minify: false });
      const html = readFileSync(join(EXAMPLES, 'browser', 'index.html'), 'utf8');
      server = createServer((req, res) => {
        const routes: Record<string, [string, string]> = { '/': ['text/html', html], '/app.js': ['text/javascript', app.code] };
        const hit = routes[req.url ?? ''];
        res.writeHead(hit ? 200 : 404, { 'content-type': hit ? hit[0] : 'text/plain' }).end(hit ? hit[1] : 'not found');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined))));

    it('a pasted code and an uploaded photo give the dynamic code as an image, with "Rp 25.000"; 50.000 gets the readable error', async () => {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
      const dir = mkdtempSync(join(tmpdir(), 'qris-page-'));
      try {
        const page = await browser.newPage();
        await page.route('**/*', (route) => {
          const u = new URL(route.request().url());
          if (u.hostname === '127.0.0.1' || u.protocol === 'data:') return route.continue();
          outside.push(u.href);
          return route.abort();
        });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(base + '/');

        await page.fill('#payload', STATIC);
        await page.fill('#amount', '25000');
        await page.click('button');
        await page.waitForFunction(() => document.querySelector('#caption')?.textContent !== '', undefined, { timeout: 20_000 });
        expect(await page.textContent('#caption')).toBe('Warung Sayur Bu Sugeng: Rp 25.000');
        const src = await page.getAttribute('#code', 'src');
        expect(src).toMatch(/^data:image\/png;base64,/);
        const { decodeImage } = await import('../src/image/index.js');
        expect((await decodeImage(src!)).payload).toBe(toDynamic(STATIC, { amount: '25000' }));

        await page.fill('#amount', '50.000');
        await page.click('button');
        await page.waitForFunction(() => document.querySelector('#caption')?.textContent?.startsWith('The amount'), undefined, { timeout: 20_000 });
        expect(await page.textContent('#caption')).toContain('for Rp 50.000 write 50000');
        expect(await page.isHidden('#code')).toBe(true);

        const photo = join(dir, 'sticker.png');
        writeFileSync(photo, toPng(STATIC, { scale: 4 }));
        await page.setInputFiles('#sticker', photo);
        await page.fill('#payload', '');
        await page.fill('#amount', '1500000');
        await page.click('button');
        await page.waitForFunction(() => document.querySelector('#caption')?.textContent?.endsWith('Rp 1.500.000'), undefined, { timeout: 20_000 });
        expect(await page.textContent('#caption')).toBe('Warung Sayur Bu Sugeng: Rp 1.500.000');
        expect(errors).toEqual([]);
        expect(outside).toEqual([]);
      } finally {
        await browser.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 90_000);
  });
});
