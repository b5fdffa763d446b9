/**
 * `qris serve` over real HTTP: the BUILT bin started by the test on a free loopback port (--port 0,
 * the URL read from its first line of output), exercised with fetch: both BAYAR GG endpoints, the
 * QR image route, multipart uploads, every error status, image_url opt-in, the worker pool keeping
 * payload requests fast while images decode, and a graceful stop.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Jimp } from 'jimp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QrisError, toDynamic } from '../src/index.js';
import { decodeImage, toPng } from '../src/image/index.js';
import type * as ServerApi from '../src/cli/serve/server.js';
import type * as PoolApi from '../src/cli/serve/pool.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'dist', 'esm', 'cli', 'main.js');
const STATIC = readFileSync(join(ROOT, 'fixtures', 'demo', 'static-qris.txt'), 'utf8').trim();
const BAD_CRC = STATIC.slice(0, -4) + '58C8';
const KEY = 'serve-test-key';
const MAX_BODY = 64 * 1024;

interface Served {
  readonly url: string;
  readonly child: ChildProcessWithoutNullStreams;
  stderr: string;
  stop(): Promise<number | null>;
}

/** Starts `qris serve --port 0 ...args` and resolves once it prints its URL. */
function serve(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Served> {
  const base: Record<string, string | undefined> = { ...process.env, ...env };
  if (!('QRIS_SERVE_API_KEY' in env)) delete base['QRIS_SERVE_API_KEY'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', ...args], { env: base });
    let stdout = '';
    const served = {
      url: '',
      child,
      stderr: '',
      stop: () =>
        new Promise<number | null>((done) => {
          if (child.exitCode !== null) return done(child.exitCode);
          child.once('exit', (code) => done(code));
          child.kill('SIGTERM');
        }),
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`qris serve did not start: ${served.stderr}`));
    }, 15_000);
    child.stderr.on('data', (c: Buffer) => (served.stderr += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m && !served.url) {
        clearTimeout(timer);
        served.url = m[1]!;
        resolve(served);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!served.url) reject(new Error(`qris serve exited with ${code}: ${served.stderr}`));
    });
  });
}

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as Record<string, unknown> };
}

/** POST a JSON body; `key` null sends no X-API-Key. */
function postJson(url: string, body: unknown, key: string | null = KEY): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) headers['x-api-key'] = key;
  return call(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

let png: Uint8Array;
let blank: Uint8Array;
let server: Served;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does).`);
  png = toPng(STATIC);
  blank = await new Jimp({ width: 120, height: 120, color: 0xffffffff }).getBuffer('image/png');
  server = await serve(['--api-key', KEY, '--max-body', String(MAX_BODY), '--workers', '2']);
});

afterAll(async () => {
  if (server) expect(await server.stop()).toBe(0);
});

const api = (path: string) => `${server.url}/api/${path}`;

describe('POST /api/qris-convert.php', () => {
  it('JSON { qris, nominal } -> { success, qris, qr_image_url, merchant_name, amount }', async () => {
    const r = await postJson(api('qris-convert.php'), { qris: STATIC, nominal: 25000 });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const qris = toDynamic(STATIC, { amount: '25000' });
    expect(r.body).toEqual({
      success: true,
      qris,
      qr_image_url: `${server.url}/api/qr.png?data=${encodeURIComponent(qris)}`,
      merchant_name: 'Warung Sayur Bu Sugeng',
      amount: 25000,
    });
  });

  it('qr_image_url is served by the same server (no key needed) and holds the converted code', async () => {
    const r = await postJson(api('qris-convert.php'), { qris: STATIC, nominal: '15000' });
    const res = await fetch(r.body['qr_image_url'] as string);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect((await decodeImage(bytes)).payload).toBe(r.body['qris']);
  });

  it('multipart upload (nominal + image file)', async () => {
    const form = new FormData();
    form.set('nominal', '30000');
    form.set('image', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'sticker.png');
    const r = await call(api('qris-convert.php'), { method: 'POST', headers: { 'x-api-key': KEY }, body: form });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ success: true, qris: toDynamic(STATIC, { amount: '30000' }), amount: 30000 });
  });

  it('JSON { image: base64 | data URL, nominal } and a form-urlencoded body', async () => {
    const b64 = Buffer.from(png).toString('base64');
    for (const image of [b64, `data:image/png;base64,${b64}`]) {
      const r = await postJson(api('qris-convert.php'), { image, nominal: 1000 });
      expect(r.status).toBe(200);
      expect(r.body['qris']).toBe(toDynamic(STATIC, { amount: '1000' }));
    }
    const form = await call(api('qris-convert.php'), {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ qris: STATIC, nominal: '2000' }).toString(),
    });
    expect(form.status).toBe(200);
    expect(form.body['amount']).toBe(2000);
  });
});

describe('GET and POST /api/qris-info.php', () => {
  it('GET ?qris= -> { success, merchant_name, merchant_city, amount, is_dynamic } plus the full info', async () => {
    const r = await call(`${api('qris-info.php')}?qris=${encodeURIComponent(STATIC)}`, { headers: { 'x-api-key': KEY } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      success: true,
      merchant_name: 'Warung Sayur Bu Sugeng',
      merchant_city: 'Kab. Demak',
      amount: 0,
      is_dynamic: false,
      kind: 'payment',
      kind_text: 'a payment to a shop (merchant)',
      crc_valid: true,
    });
    expect(r.body['info']).toMatchObject({
      merchantName: 'Warung Sayur Bu Sugeng',
      postalCode: '59567',
      nmid: 'ID1020017611473',
      accounts: [{ tag: '26', acquirer: 'DANA' }],
    });
  });

  it('POST { qris } on a dynamic code gives its amount', async () => {
    const r = await postJson(api('qris-info.php'), { qris: toDynamic(STATIC, { amount: '12345' }) });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ success: true, amount: 12345, is_dynamic: true });
  });
});

describe('errors: { success: false, error (the sentence), code, message } with the right status', () => {
  const expectError = (r: { status: number; body: Record<string, unknown> }, status: number, code: string) => {
    expect(r.status).toBe(status);
    expect(r.body).toMatchObject({ success: false, code, error: expect.any(String), message: expect.any(String) });
    // BAYAR GG's `error` holds the human sentence (a client shows it as is); `message` repeats it.
    expect(r.body['error']).toBe(r.body['message']);
    expect((r.body['error'] as string).length).toBeGreaterThan(10);
    expect(r.body['error']).not.toBe(code);
  };

  it('400: a broken payload names the tag and offset', async () => {
    const r = await postJson(api('qris-convert.php'), { qris: BAD_CRC, nominal: 1000 });
    expectError(r, 400, 'CRC_MISMATCH');
    expect(r.body).toMatchObject({ tag: '63', offset: 195 });
    const cut = await postJson(api('qris-info.php'), { qris: STATIC.slice(0, 60) });
    expectError(cut, 400, 'TRUNCATED');
    expect(cut.body).toMatchObject({ tag: '26', offset: 12 });
  });

  it('400: missing nominal, bad nominal, missing qris, invalid JSON, an image with no QR code, image_url turned off', async () => {
    expectError(await postJson(api('qris-convert.php'), { qris: STATIC }), 400, 'MISSING_NOMINAL');
    expectError(await postJson(api('qris-convert.php'), { qris: STATIC, nominal: '12,5' }), 400, 'BAD_AMOUNT');
    expectError(await postJson(api('qris-convert.php'), { nominal: 10 }), 400, 'MISSING_QRIS');
    expectError(await postJson(api('qris-info.php'), {}), 400, 'MISSING_QRIS');
    expectError(await postJson(api('qris-convert.php'), '{"qris": '), 400, 'INVALID_JSON');
    expectError(await postJson(api('qris-convert.php'), { image: Buffer.from(blank).toString('base64'), nominal: 10 }), 400, 'IMAGE_NO_QR');
    expectError(await postJson(api('qris-convert.php'), { image_url: 'http://127.0.0.1:1/x.png', nominal: 10 }), 400, 'IMAGE_URL_DISABLED');
    expectError(await call(`${server.url}/api/qr.png?data=${encodeURIComponent(BAD_CRC)}`), 400, 'CRC_MISMATCH');
  });

  it('401: a missing or wrong X-API-Key (qr.png needs none)', async () => {
    expectError(await postJson(api('qris-convert.php'), { qris: STATIC, nominal: 1 }, null), 401, 'UNAUTHORIZED');
    expectError(await postJson(api('qris-convert.php'), { qris: STATIC, nominal: 1 }, KEY + 'x'), 401, 'UNAUTHORIZED');
    expectError(await call(`${api('qris-info.php')}?qris=${encodeURIComponent(STATIC)}`), 401, 'UNAUTHORIZED');
    expect((await fetch(`${server.url}/api/qr.png?data=${encodeURIComponent(STATIC)}`)).status).toBe(200);
  });

  it('404: an unknown path; 405: a wrong method, with Allow', async () => {
    expectError(await call(`${server.url}/api/nothing.php`), 404, 'NOT_FOUND');
    expectError(await call(server.url + '/nothing'), 404, 'NOT_FOUND'); // / is the cashier page (test/pos-e2e.test.ts)
    const get = await call(api('qris-convert.php'), { headers: { 'x-api-key': KEY } });
    expectError(get, 405, 'METHOD_NOT_ALLOWED');
    expect(get.headers.get('allow')).toBe('POST');
    const del = await call(api('qris-info.php'), { method: 'DELETE', headers: { 'x-api-key': KEY } });
    expectError(del, 405, 'METHOD_NOT_ALLOWED');
    expect(del.headers.get('allow')).toBe('GET, POST');
  });

  it('413: a body over --max-body, JSON or multipart, declared or streamed', async () => {
    const big = 'A'.repeat(MAX_BODY + 1);
    expectError(await postJson(api('qris-convert.php'), { image: big, nominal: 1 }), 413, 'PAYLOAD_TOO_LARGE');
    const form = new FormData();
    form.set('nominal', '1');
    form.set('image', new Blob([new Uint8Array(MAX_BODY + 10)]), 'big.png');
    expectError(await call(api('qris-convert.php'), { method: 'POST', headers: { 'x-api-key': KEY }, body: form }), 413, 'PAYLOAD_TOO_LARGE');
    // Chunked (no Content-Length): the limit is enforced while reading.
    const chunked = await new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const req = request(api('qris-convert.php'), { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
      });
      req.on('error', reject);
      for (let i = 0; i < 8; i++) req.write('x'.repeat(MAX_BODY / 4));
      req.end();
    });
    expectError(chunked, 413, 'PAYLOAD_TOO_LARGE');
    // The server is still fine afterwards.
    expect((await postJson(api('qris-convert.php'), { qris: STATIC, nominal: 1 })).status).toBe(200);
  });

  it('415: a body type the API does not take', async () => {
    const r = await call(api('qris-convert.php'), { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'text/plain' }, body: 'hello' });
    expectError(r, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('500: an unexpected failure answers a generic message and is logged, never echoed', async () => {
    // In process, from the built package, with a decoder that crashes.
    const { startServer } = (await import(pathToFileURL(join(ROOT, 'dist', 'esm', 'cli', 'serve', 'server.js')).href)) as typeof ServerApi;
    const logged: string[] = [];
    const local = await startServer({
      port: 0,
      decode: () => Promise.reject(new TypeError('secret internal detail /srv/path')),
      log: (line) => logged.push(line),
    });
    try {
      const r = await postJson(`${local.url}/api/qris-convert.php`, { image: Buffer.from(png).toString('base64'), nominal: 5 });
      expectError(r, 500, 'INTERNAL_ERROR');
      expect(JSON.stringify(r.body)).not.toContain('secret');
      expect(logged.join('\n')).toContain('secret internal detail');
      // Payload requests are unaffected.
      expect((await postJson(`${local.url}/api/qris-convert.php`, { qris: STATIC, nominal: 5 })).status).toBe(200);
    } finally {
      await local.close(100);
    }
  });
});

describe('image decoding runs in the worker pool', () => {
  it('payload requests are answered while large images are being decoded', async () => {
    // ~2300 px square: a few hundred ms of decoding each.
    const large = Buffer.from(toPng(STATIC, { scale: 40 })).toString('base64');
    const order: string[] = [];
    const images = [0, 1, 2].map(() =>
      postJson(api('qris-convert.php'), { image: large, nominal: 100 }).then((r) => {
        order.push('image');
        return r;
      }),
    );
    await new Promise((r) => setTimeout(r, 30));
    const started = performance.now();
    const payload = await postJson(api('qris-convert.php'), { qris: STATIC, nominal: 100 });
    const payloadMs = performance.now() - started;
    order.push('payload');
    const results = await Promise.all(images);
    expect(payload.status).toBe(200);
    for (const r of results) expect(r.body).toMatchObject({ success: true, qris: toDynamic(STATIC, { amount: '100' }) });
    expect(order[0]).toBe('payload');
    expect(payloadMs).toBeLessThan(250);
  });
});

describe('worker pool', () => {
  it('replaces a worker after its share of tasks; every task still gets its answer', async () => {
    const dist = join(ROOT, 'dist', 'esm', 'cli', 'serve');
    const { WorkerPool } = (await import(pathToFileURL(join(dist, 'pool.js')).href)) as typeof PoolApi;
    const pool = new WorkerPool(pathToFileURL(join(dist, 'worker.js')), { size: 1, maxTasksPerWorker: 2 });
    try {
      const answers = await Promise.all([0, 1, 2, 3, 4].map(() => pool.decode({ bytes: png })));
      expect(answers).toEqual(Array(5).fill(STATIC));
      await expect(pool.decode({ bytes: blank })).rejects.toMatchObject({ name: 'QrisError', code: 'IMAGE_NO_QR' });
      const memory = await pool.memory(true);
      expect(memory.length).toBeLessThanOrEqual(1);
      for (const m of memory) expect(m.heapUsed).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });
});

describe('image_url (opt in with --allow-image-url)', () => {
  let images: Server;
  let imagesUrl: string;
  let withUrls: Served;

  beforeAll(async () => {
    images = createServer((req, res) => {
      if (req.url === '/sticker.png') {
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
        res.end(png);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
    imagesUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
    withUrls = await serve(['--allow-image-url', '--allow-private-urls', '--workers', '1']);
  });

  afterAll(async () => {
    expect(await withUrls?.stop()).toBe(0);
    images?.closeAllConnections();
    await new Promise<void>((resolve) => images?.close(() => resolve()));
  });

  it('fetches the image and converts it; no key needed when none is set', async () => {
    const r = await postJson(`${withUrls.url}/api/qris-convert.php`, { image_url: `${imagesUrl}/sticker.png`, nominal: 4000 }, null);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ success: true, qris: toDynamic(STATIC, { amount: '4000' }) });
  });

  it('a URL that cannot be fetched is an error, not a crash', async () => {
    const r = await postJson(`${withUrls.url}/api/qris-convert.php`, { image_url: `${imagesUrl}/missing.png`, nominal: 4000 }, null);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(600);
    expect(r.status).not.toBe(500);
    expect(r.body).toMatchObject({ success: false, error: expect.any(String), code: expect.any(String) });
    const bad = await postJson(`${withUrls.url}/api/qris-convert.php`, { image_url: 'ftp://example/x.png', nominal: 4000 }, null);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_IMAGE_URL', error: 'image_url must be an http or https URL.' });
  });
});

describe('process', () => {
  it('bad options are usage errors (exit 2); SIGTERM stops the server gracefully (exit 0)', async () => {
    const bad = spawn(process.execPath, [BIN, 'serve', '--port', 'abc']);
    let err = '';
    bad.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => bad.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('--port must be an integer');

    const s = await serve([]);
    expect((await postJson(`${s.url}/api/qris-info.php`, { qris: STATIC }, null)).status).toBe(200);
    expect(await s.stop()).toBe(0);
    expect(s.stderr).toContain('SIGTERM: shutting down');
  });
});

describe('process: API keys and request log', () => {
  const run = (args: readonly string[], env: Record<string, string | undefined>) =>
    new Promise<{ code: number | null; err: string }>((resolve) => {
      const e: Record<string, string | undefined> = { ...process.env, ...env };
      if (env['QRIS_SERVE_API_KEY'] === undefined) delete e['QRIS_SERVE_API_KEY'];
      const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { env: e });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('exit', (code) => resolve({ code, err }));
      setTimeout(() => child.kill('SIGTERM'), 5_000).unref();
    });

  it('--api-key "" and QRIS_SERVE_API_KEY="" are usage errors (exit 2), not an open server', async () => {
    const flag = await run(['--api-key', ''], {});
    expect(flag.code).toBe(2);
    expect(flag.err).toContain('--api-key must not be empty');
    const env = await run([], { QRIS_SERVE_API_KEY: '' });
    expect(env.code).toBe(2);
    expect(env.err).toContain('QRIS_SERVE_API_KEY is set but empty');
  });

  it('--log json writes one JSON line per request to stderr; QRIS_SERVE_API_KEY is honoured', async () => {
    const s = await serve(['--log', 'json'], { QRIS_SERVE_API_KEY: 'env-key' });
    expect((await postJson(`${s.url}/api/qris-info.php`, { qris: STATIC }, null)).status).toBe(401);
    expect((await postJson(`${s.url}/api/qris-info.php`, { qris: STATIC }, 'env-key')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(await s.stop()).toBe(0);
    const lines = s.stderr.split('\n').filter((l) => l.startsWith('{'));
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toMatchObject([
      { method: 'POST', path: '/api/qris-info.php', status: 401 },
      { method: 'POST', path: '/api/qris-info.php', status: 200 },
    ]);
    expect(s.stderr).not.toContain('env-key');
  });
});

describe('error sentences name no library option an API caller cannot set', () => {
  it('the limits and the multiple-codes advice are said without maxBytes, maxPixels, timeBudgetMs or { all: true }', async () => {
    const { toErrorResponse } = await import('../src/cli/serve/http-error.js');
    const { png } = await import('./image-bombs.js');
    const refusal = async (input: Uint8Array, options: Record<string, number>) =>
      decodeImage(input, options).then(
        () => undefined,
        (e: unknown) => e,
      );
    const tooManyBytes = await refusal(toPng(STATIC), { maxBytes: 100 });
    const tooManyPixels = await refusal(new Uint8Array(png(100_000, 100_000, 8, 0, 0, Buffer.alloc(16))), {});
    const multiple = new QrisError(
      'IMAGE_MULTIPLE_CODES',
      'The picture holds 2 different payment codes, so none was used: A; B. To read all of them on purpose, pass { all: true }.',
    );
    for (const e of [tooManyBytes, tooManyPixels, multiple]) {
      expect(String((e as Error).message)).toMatch(/maxBytes|maxPixels|all: true/); // the library's own words...
      const { body } = toErrorResponse(e);
      expect(body.error).not.toMatch(/maxBytes|maxPixels|maxDecodedBytes|timeBudgetMs|all: true|allowPrivateAddresses|engine '/); // ...not the server's
      expect(body.error).toMatch(/^The (image|picture) /);
      expect(body.message).toBe(body.error);
    }
    expect(toErrorResponse(tooManyBytes).body.error).toMatch(/^The image is \d+ bytes; the limit is 100\./);
  });
});
