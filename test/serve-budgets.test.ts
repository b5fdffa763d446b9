/**
 * `qris serve` under hostile load, in process from the BUILT server on 127.0.0.1 (tarpits, stalled
 * bodies and heavy images made here): the body budget and idle timeout, the decode queue bound and
 * deadline, image_url through the address guard and its own cap, qr.png limits, /healthz, the
 * request log, qr_image_url never taken from Host, short quotes of user values.
 */
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPng } from '../src/image/index.js';
import { toDynamic } from '../src/index.js';
import type * as ServerApi from '../src/cli/serve/server.js';
import type * as PoolApi from '../src/cli/serve/pool.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist', 'esm', 'cli', 'serve');
const STATIC = readFileSync(join(ROOT, 'fixtures', 'demo', 'static-qris.txt'), 'utf8').trim();
type ServerModule = typeof ServerApi;
type PoolModule = typeof PoolApi;
const load = async () => (await import(pathToFileURL(join(DIST, 'server.js')).href)) as ServerModule;

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

/** Opens a raw connection that sends headers declaring `length` bytes and `sent` of them, then stalls. */
function stalledUpload(port: number, length: number, sent: number): Promise<{ socket: Socket; answer: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`POST /api/qris-convert.php HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n`);
      socket.write(Buffer.alloc(sent, 0x20));
      let text = '';
      const answer = new Promise<string>((done) => {
        socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
        socket.on('close', () => done(text));
        socket.on('error', () => done(text));
      });
      resolve({ socket, answer });
    });
    socket.once('error', reject);
  });
}

describe('request bodies: a global budget and an idle timeout', () => {
  it('100 stalled uploads: the budget holds a few, the rest get 503 + Retry-After at once; normal requests still pass; stalls end in 408', async () => {
    const { startServer } = await load();
    const MiB = 1024 * 1024;
    const s = await startServer({ port: 0, workers: 1, maxBody: MiB, maxBufferedBytes: 4 * MiB, maxBodies: 16, bodyIdleMs: 1_500, log: () => undefined });
    try {
      const uploads = await Promise.all(Array.from({ length: 100 }, () => stalledUpload(s.port, MiB - 10, 64 * 1024)));
      // Normal traffic is answered meanwhile.
      const ok = await post(`${s.url}/api/qris-convert.php`, { qris: STATIC, nominal: 5 });
      expect(ok.status).toBe(200);
      const answers = await Promise.all(uploads.map((u) => u.answer));
      const status = (t: string) => Number(/^HTTP\/1\.1 (\d+)/.exec(t)?.[1] ?? 0);
      const refused = answers.filter((t) => status(t) === 503);
      const stalled = answers.filter((t) => status(t) === 408);
      // 4 MiB / (1 MiB - 10) declared: at most 4 bodies are ever held.
      expect(stalled.length).toBeGreaterThanOrEqual(1);
      expect(stalled.length).toBeLessThanOrEqual(4);
      expect(refused.length + stalled.length).toBe(100);
      for (const t of refused) expect(t).toMatch(/retry-after: \d+/i);
      expect(refused[0]).toContain('"code":"SERVER_BUSY"');
      expect(stalled[0]).toContain('"code":"BODY_TIMEOUT"');
      // The budget is whole again: a body that fits is accepted.
      expect((await post(`${s.url}/api/qris-convert.php`, { qris: STATIC, nominal: 6, pad: 'x'.repeat(512 * 1024) })).status).toBe(200);
    } finally {
      await s.close(100);
    }
  }, 30_000);

  it('a chunked body (no Content-Length) is counted chunk by chunk against the budget', async () => {
    const { startServer } = await load();
    const s = await startServer({
      port: 0,
      workers: 1,
      maxBody: 256 * 1024,
      maxBufferedBytes: 300 * 1024,
      maxBodies: 8,
      bodyIdleMs: 2_000,
      log: () => undefined,
    });
    try {
      const held = await stalledUpload(s.port, 200 * 1024, 200 * 1024 - 5);
      await new Promise((r) => setTimeout(r, 100));
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${s.url}/api/qris-convert.php`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.write('x'.repeat(64 * 1024));
        req.write('x'.repeat(64 * 1024));
        setTimeout(() => req.end(), 50);
      });
      expect(status).toBe(503);
      held.socket.destroy();
    } finally {
      await s.close(100);
    }
  });
});

describe('the decode pool: a bounded queue and a deadline per task', () => {
  it('a full queue is a 503; an overrun is a 422 and the worker is replaced (the next task still works)', async () => {
    const { WorkerPool } = (await import(pathToFileURL(join(DIST, 'pool.js')).href)) as PoolModule;
    const heavy = toPng(STATIC, { scale: 40 });
    const small = toPng(STATIC);
    const pool = new WorkerPool(pathToFileURL(join(DIST, 'worker.js')), { size: 1, maxQueue: 1, taskTimeoutMs: 40 });
    try {
      const first = pool.decode({ bytes: heavy });
      const second = pool.decode({ bytes: heavy });
      await expect(pool.decode({ bytes: heavy })).rejects.toMatchObject({ status: 503, code: 'SERVER_BUSY' });
      await expect(first).rejects.toMatchObject({ status: 422, code: 'IMAGE_TOO_COMPLEX' });
      await expect(second).rejects.toMatchObject({ status: 422, code: 'IMAGE_TOO_COMPLEX' });
    } finally {
      await pool.close();
    }
    const roomy = new WorkerPool(pathToFileURL(join(DIST, 'worker.js')), { size: 1, taskTimeoutMs: 20 });
    try {
      await expect(roomy.decode({ bytes: heavy })).rejects.toMatchObject({ code: 'IMAGE_TOO_COMPLEX' });
    } finally {
      await roomy.close();
    }
    const fresh = new WorkerPool(pathToFileURL(join(DIST, 'worker.js')), { size: 1, taskTimeoutMs: 10_000 });
    try {
      expect(await fresh.decode({ bytes: small })).toBe(STATIC);
    } finally {
      await fresh.close();
    }
  });
});

describe('image_url: the address guard, a download cap, short timeouts, never in a worker', () => {
  let tarpit: Server;
  let tarpitUrl = '';
  let hits = 0;
  beforeAll(async () => {
    // Answers nothing, ever (until the test closes it).
    tarpit = createServer(() => {
      hits++;
    });
    await new Promise<void>((resolve) => tarpit.listen(0, '127.0.0.1', resolve));
    tarpitUrl = `http://127.0.0.1:${(tarpit.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    tarpit.closeAllConnections();
    await new Promise<void>((resolve) => tarpit.close(() => resolve()));
  });

  it('every SSRF target is refused with 400 FETCH_REFUSED before any connection', async () => {
    const { startServer } = await load();
    let connects = 0;
    const s = await startServer({
      port: 0,
      workers: 1,
      allowImageUrl: true,
      fetch: {
        connect: async () => {
          connects++;
          throw new Error('connected');
        },
        lookup: async () => [{ address: '169.254.169.254', family: 4 }],
      },
      log: () => undefined,
    });
    const port = new URL(tarpitUrl).port;
    const targets = [
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:169.254.169.254]/',
      'http://metadata.google.internal/',
      `http://127.1:${port}/`,
      `http://2130706433:${port}/`,
      `http://0x7f000001:${port}/`,
      `http://0177.0.0.1:${port}/`,
      `http://localhost:${port}/`,
      `http://[::1]:${port}/`,
      'http://[fd00::1]/',
      'http://10.0.0.1/',
      'http://172.16.0.1/',
      'http://192.168.1.1/',
      'http://100.64.0.1/',
      'http://0.0.0.0/',
    ];
    try {
      for (const image_url of targets) {
        const r = await post(`${s.url}/api/qris-convert.php`, { image_url, nominal: 1 });
        expect([image_url, r.status, r.body['code']]).toEqual([image_url, 400, 'FETCH_REFUSED']);
      }
      expect(connects).toBe(0);
      expect(hits).toBe(0);
    } finally {
      await s.close(100);
    }
  });

  it('tarpit URLs time out as 502 with one message, are capped (503 past the cap), and never slow a normal request', async () => {
    const { startServer } = await load();
    const s = await startServer({
      port: 0,
      workers: 1,
      allowImageUrl: true,
      maxFetches: 1,
      fetch: { allowPrivateAddresses: true, timeoutMs: 800 },
      log: () => undefined,
    });
    try {
      const slow = [0, 1, 2].map((i) => post(`${s.url}/api/qris-convert.php`, { image_url: `${tarpitUrl}/pit-${i}.png`, nominal: 1 }));
      await new Promise((r) => setTimeout(r, 100));
      const t = performance.now();
      const normal = await post(`${s.url}/api/qris-convert.php`, { qris: STATIC, nominal: 2 });
      const normalMs = performance.now() - t;
      expect(normal.status).toBe(200);
      const answers = await Promise.all(slow);
      const statuses = answers.map((a) => a.status).sort();
      // One downloading, one waiting, the third refused.
      expect(statuses).toEqual([502, 502, 503]);
      const timedOut = answers.find((a) => a.status === 502)!;
      expect(timedOut.body).toMatchObject({ success: false, code: 'FETCH_FAILED' });
      expect(timedOut.body['message']).toMatch(/Timed out after 800 ms/);
      expect(answers.find((a) => a.status === 503)!.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(normalMs).toBeLessThan(700);
    } finally {
      await s.close(100);
    }
  });
});

describe('qr.png, /healthz, logging, qr_image_url, quoting, empty keys', () => {
  it('qr.png: size above 1024 refused; a flood of distinct renders gets 200 or 503 + Retry-After, never hangs', async () => {
    const { startServer } = await load();
    const s = await startServer({ port: 0, workers: 1, apiKey: 'k', log: () => undefined });
    try {
      expect((await fetch(`${s.url}/api/qr.png?size=2048&data=${encodeURIComponent(STATIC)}`)).status).toBe(400);
      const flood = await Promise.all(
        Array.from({ length: 40 }, (_, i) => fetch(`${s.url}/api/qr.png?size=1024&data=${encodeURIComponent(toDynamic(STATIC, { amount: String(i + 1) }))}`)),
      );
      const statuses = new Set(flood.map((r) => r.status));
      for (const r of flood) {
        if (r.status === 503) expect(r.headers.get('retry-after')).toBeTruthy();
        await r.arrayBuffer();
      }
      expect([...statuses].every((x) => x === 200 || x === 503)).toBe(true);
      expect(statuses.has(503)).toBe(true);
      expect(statuses.has(200)).toBe(true);
      const health = await fetch(`${s.url}/healthz`);
      expect([health.status, await health.json()]).toEqual([200, { success: true, status: 'ok' }]);
    } finally {
      await s.close(100);
    }
  });

  it('--log json entries: method, path, status, ms; never the key, the query or the body', async () => {
    const { startServer } = await load();
    const entries: unknown[] = [];
    const s = await startServer({ port: 0, workers: 1, apiKey: 'sekret-key-123', requestLog: (e) => entries.push(e), log: () => undefined });
    try {
      await post(`${s.url}/api/qris-convert.php`, { qris: STATIC, nominal: 7, note: 'body-secret' }, { 'x-api-key': 'sekret-key-123' });
      await fetch(`${s.url}/api/qris-info.php?qris=${encodeURIComponent(STATIC)}`, { headers: { 'x-api-key': 'wrong' } });
      await fetch(`${s.url}/healthz`);
      await new Promise((r) => setTimeout(r, 50));
      expect(entries).toEqual([
        { method: 'POST', path: '/api/qris-convert.php', status: 200, ms: expect.any(Number) },
        { method: 'GET', path: '/api/qris-info.php', status: 401, ms: expect.any(Number) },
        { method: 'GET', path: '/healthz', status: 200, ms: expect.any(Number) },
      ]);
      const text = JSON.stringify(entries);
      for (const secret of ['sekret', 'body-secret', 'wrong', STATIC.slice(0, 20)]) expect(text).not.toContain(secret);
    } finally {
      await s.close(100);
    }
  });

  it('qr_image_url comes from publicUrl or the socket address, never from Host; long user values are quoted short', async () => {
    const { startServer } = await load();
    const s = await startServer({ port: 0, workers: 1, log: () => undefined });
    const pub = await startServer({ port: 0, workers: 1, publicUrl: 'https://qris.example.com/', log: () => undefined });
    const forged = (url: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const body = JSON.stringify({ qris: STATIC, nominal: 9 });
        const req = request(
          url,
          { method: 'POST', headers: { host: 'evil.example:666', 'content-type': 'application/json', 'content-length': body.length } },
          (res) => {
            let t = '';
            res.on('data', (c: Buffer) => (t += c.toString()));
            res.on('end', () => resolve(JSON.parse(t) as Record<string, unknown>));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    try {
      expect(String((await forged(`${s.url}/api/qris-convert.php`))['qr_image_url'])).toMatch(
        new RegExp(`^http://127\\.0\\.0\\.1:${s.port}/api/qr\\.png\\?data=`),
      );
      expect(String((await forged(`${pub.url}/api/qris-convert.php`))['qr_image_url'])).toMatch(/^https:\/\/qris\.example\.com\/api\/qr\.png\?data=/);
      const long = 'z'.repeat(500);
      const nf = await fetch(`${s.url}/${long}`);
      const msg = ((await nf.json()) as { message: string }).message;
      expect(nf.status).toBe(404);
      expect(msg).not.toContain('z'.repeat(41));
      expect(msg).toContain('(501 characters)');
    } finally {
      await Promise.all([s.close(100), pub.close(100)]);
    }
  });
});
