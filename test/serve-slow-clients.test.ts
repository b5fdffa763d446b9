/**
 * `qris serve` under slow and odd clients, in process from the BUILT server on loopback (several
 * 127.0.0.x source addresses stand in for distinct clients): the minimum body rate, the per-address
 * cap, the small lane, the large-JSON rule with /healthz polled, unreadable request lines, and one
 * FETCH_REFUSED for every refused image_url. Short rates and grace periods keep it under 30 s.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type * as ServerApi from '../src/cli/serve/server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist', 'esm', 'cli', 'serve');
const BIN = join(ROOT, 'dist', 'esm', 'cli', 'main.js');
const STATIC = readFileSync(join(ROOT, 'fixtures', 'demo', 'static-qris.txt'), 'utf8').trim();
const load = async () => (await import(pathToFileURL(join(DIST, 'server.js')).href)) as typeof ServerApi;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer {
  status: number;
  body: Record<string, unknown>;
  ms: number;
}

/** One POST over a fresh connection from `from` (a 127.0.0.x source address). */
function post(port: number, body: string | Buffer, o: { from?: string; path?: string; chunked?: boolean } = {}): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    // Without a Content-Length set here, Node's end(body) would add one: chunked must be asked for.
    if (o.chunked) headers['transfer-encoding'] = 'chunked';
    else headers['content-length'] = Buffer.byteLength(body);
    const req = request(
      { host: '127.0.0.1', port, path: o.path ?? '/api/qris-convert.php', method: 'POST', headers, localAddress: o.from ?? '127.0.0.1', agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown>, ms: performance.now() - started });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const normalBody = (n: number) => JSON.stringify({ qris: STATIC, nominal: n });

/**
 * A raw upload from `from`: headers declaring `length` bytes, then one byte every `everyMs` until
 * the server answers or closes. Resolves, once the headers are out, to the socket and its answer.
 */
function dripUpload(port: number, from: string, length: number, everyMs: number): Promise<{ socket: Socket; answer: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress: from }, () => {
      socket.write(`POST /api/qris-convert.php HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n{`);
      let sent = 1;
      const timer = setInterval(() => {
        if (sent < length - 1 && socket.writable) {
          socket.write(' ');
          sent++;
        }
      }, everyMs);
      let text = '';
      const answer = new Promise<string>((done) => {
        const end = () => {
          clearInterval(timer);
          done(text);
        };
        socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
        socket.on('close', end);
        socket.on('error', end);
      });
      resolve({ socket, answer });
    });
    socket.once('error', reject);
  });
}

/** `qris serve --port 0 ...args` in its own process (so the client's own work is not measured with it). */
async function spawnServe(args: readonly string[] = []): Promise<{ port: number; stderr: () => string; stop: () => Promise<unknown> }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', ...args]);
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', () => reject(new Error(stderr)));
  });
  return {
    port,
    stderr: () => stderr,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done(child.exitCode);
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}

const statusOf = (raw: string) => Number(/^HTTP\/1\.1 (\d+)/.exec(raw)?.[1] ?? 0);

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

describe('a minimum body rate, not an idle timer', () => {
  it('300 slow uploads (1 byte every 2 s) from 50 addresses: normal POSTs keep getting 200 within 2 s; every slow one is cut', async () => {
    const { startServer } = await load();
    const s = await startServer({ port: 0, workers: 1, minBodyRate: 1024, bodyGraceMs: 3_000, log: () => undefined });
    const slow: { socket: Socket; answer: Promise<string> }[] = [];
    try {
      for (let i = 0; i < 300; i++) slow.push(await dripUpload(s.port, `127.0.0.${2 + (i % 50)}`, 200, 2_000));
      const latencies: number[] = [];
      const statuses = new Map<number, number>();
      const until = performance.now() + 5_000;
      // Two normal clients, back to back, for 5 s: while the slow bodies hold (or held) every small slot.
      await Promise.all(
        [0, 1].map(async () => {
          for (let n = 1; performance.now() < until; n++) {
            const r = await post(s.port, normalBody(n));
            latencies.push(r.ms);
            statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          }
        }),
      );
      const answers = await Promise.race([Promise.all(slow.map((u) => u.answer)), sleep(8_000).then(() => undefined)]);
      const slowStatuses = new Map<number, number>();
      for (const a of answers ?? []) slowStatuses.set(statusOf(a), (slowStatuses.get(statusOf(a)) ?? 0) + 1);
      latencies.sort((a, b) => a - b);
      console.info(
        `slow clients: 300 slow sockets; normal POSTs ${latencies.length}, statuses ${JSON.stringify(Object.fromEntries(statuses))}, ` +
          `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms; ` +
          `slow answered ${JSON.stringify(Object.fromEntries(slowStatuses))}; stats ${JSON.stringify(s.bodies.stats)}`,
      );
      expect(answers, 'every slow upload answered and closed within 8 s').toBeDefined();
      expect([...statuses.keys()]).toEqual([200]);
      expect(latencies.length).toBeGreaterThan(20);
      expect(latencies.at(-1)!).toBeLessThan(2_000);
      // Cut: 408 BODY_TOO_SLOW (at their deadline, or evicted for a normal body), or 503 when they came
      // while every slot was held by bodies not yet behind the rate. None was ever answered 200.
      expect(slowStatuses.get(200)).toBeUndefined();
      expect((slowStatuses.get(408) ?? 0) + (slowStatuses.get(503) ?? 0)).toBe(300);
      expect(slowStatuses.get(408)).toBeGreaterThanOrEqual(200);
      expect(answers!.find((a) => statusOf(a) === 408)).toContain('"BODY_TOO_SLOW"');
      expect(s.bodies.stats.evicted).toBeGreaterThan(0);
      expect(s.bodies.usage).toMatchObject({ small: 0, bodies: 0, bytes: 0 });
    } finally {
      for (const u of slow) u.socket.destroy();
      await s.close(100);
    }
  }, 30_000);

  it('a body dripped below the rate is cut at grace + size/rate even when nothing else wants its slot', async () => {
    const { startServer } = await load();
    const s = await startServer({ port: 0, workers: 1, minBodyRate: 100, bodyGraceMs: 600, log: () => undefined });
    try {
      // 20 bytes every 100 ms = 200 B/s passes; 1 byte every 100 ms = 10 B/s does not.
      const t0 = performance.now();
      const cut = await dripUpload(s.port, '127.0.0.2', 100, 100);
      const raw = await cut.answer;
      const ms = performance.now() - t0;
      expect(statusOf(raw)).toBe(408);
      expect(raw).toContain('"BODY_TOO_SLOW"');
      expect(raw).toContain('100 bytes/s');
      // Idle never fired (a byte every 100 ms): the rate did, after ~600 ms + a few bytes' credit.
      expect(ms).toBeGreaterThan(550);
      expect(ms).toBeLessThan(2_500);
    } finally {
      await s.close(100);
    }
  });
});

describe('a per-address cap on bodies in flight', () => {
  it('one address gets at most maxBodiesPerAddress bodies (429 + Retry-After past it); other addresses are untouched', async () => {
    const { startServer } = await load();
    // capLoopback: the 127.0.0.x addresses stand in for remote clients (loopback is not capped by default).
    const s = await startServer({ port: 0, workers: 1, maxBodiesPerAddress: 8, capLoopback: true, bodyGraceMs: 10_000, log: () => undefined });
    const held: { socket: Socket; answer: Promise<string> }[] = [];
    try {
      for (let i = 0; i < 8; i++) held.push(await dripUpload(s.port, '127.0.0.9', 200, 5_000));
      await sleep(50);
      expect(s.bodies.usage.small).toBe(8);
      // Within the eviction slack (100 ms) none of them is behind the rate yet: more from there is a 429.
      const extra = await dripUpload(s.port, '127.0.0.9', 200, 5_000);
      const raw = await extra.answer;
      expect(statusOf(raw)).toBe(429);
      expect(raw).toMatch(/retry-after: \d+/i);
      expect(raw).toContain('"TOO_MANY_BODIES"');
      expect(s.bodies.usage.small).toBe(8);
      expect(s.bodies.stats.perAddressRefused).toBe(1);
      // Another address is not affected.
      expect((await post(s.port, normalBody(3), { from: '127.0.0.10' })).status).toBe(200);
      // Once they are behind the rate, a fast body from the same address takes a slow one's slot.
      await sleep(300);
      const same = await post(s.port, normalBody(4), { from: '127.0.0.9' });
      expect(same.status).toBe(200);
      expect(s.bodies.stats.evicted).toBe(1);
      expect(s.bodies.usage.small).toBe(7);
    } finally {
      for (const u of held) u.socket.destroy();
      await s.close(100);
    }
    // By default loopback is not capped (a reverse proxy on this host speaks for every client).
    const proxy = await startServer({ port: 0, workers: 1, maxBodiesPerAddress: 2, bodyGraceMs: 10_000, log: () => undefined });
    const behind: Socket[] = [];
    try {
      for (let i = 0; i < 4; i++) behind.push((await dripUpload(proxy.port, '127.0.0.1', 200, 5_000)).socket);
      await sleep(50);
      expect(proxy.bodies.usage.small).toBe(4);
      expect(proxy.bodies.stats.perAddressRefused).toBe(0);
    } finally {
      for (const b of behind) b.destroy();
      await proxy.close(100);
    }
  });
});

describe('small bodies never wait behind large ones', () => {
  it('with every large slot held, small bodies (declared or chunked) are answered at once; a third large one is a 503', async () => {
    const { startServer } = await load();
    const MiB = 1024 * 1024;
    const s = await startServer({ port: 0, workers: 1, maxBody: MiB, maxBodies: 2, maxBufferedBytes: 2 * MiB, log: () => undefined });
    const big: Socket[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        // 900 KiB declared, 512 KiB sent at once, then nothing: well above any rate, just not done.
        const u = await dripUpload(s.port, `127.0.0.${20 + i}`, 900 * 1024, 60_000);
        u.socket.write(Buffer.alloc(512 * 1024, 0x20));
        big.push(u.socket);
      }
      await sleep(100);
      expect(s.bodies.usage.bodies).toBe(2);
      const third = await post(s.port, Buffer.alloc(200 * 1024, 0x20), { from: '127.0.0.23' });
      expect([third.status, third.body['code']]).toEqual([503, 'SERVER_BUSY']);
      for (const chunked of [false, true]) {
        const r = await post(s.port, normalBody(7), { chunked, from: '127.0.0.24' });
        expect([chunked, r.status]).toEqual([chunked, 200]);
        expect(r.ms).toBeLessThan(500);
      }
    } finally {
      for (const b of big) b.destroy();
      await s.close(100);
    }
  });
});

describe('large JSON bodies do not stall the event loop', () => {
  it('six ~9.8 MB JSON bodies of small values: refused 413 after a linear pre-scan; /healthz stays fast', async () => {
    const s = await spawnServe(['--workers', '1']);
    try {
      const size = 9.8e6;
      const arrayBody = `{"qris":"${STATIC}","nominal":1,"pad":[${'1,'.repeat(Math.floor(size / 2) - 40)}1]}`;
      const objectBody = `{"qris":"${STATIC}","nominal":1,${Array.from({ length: Math.floor(size / 16) }, (_, i) => `"k${i}":${i % 10}`).join(',')}}`;
      const bodies = [arrayBody, objectBody, arrayBody, objectBody, arrayBody, objectBody].map((b) => Buffer.from(b));
      let polling = true;
      const health: number[] = [];
      const poller = (async () => {
        while (polling) {
          const t = performance.now();
          const res = await fetch(`http://127.0.0.1:${s.port}/healthz`);
          await res.text();
          health.push(performance.now() - t);
          await sleep(10);
        }
      })();
      const answers = await Promise.all(bodies.map((b, i) => post(s.port, b, { from: `127.0.0.${30 + i}` })));
      await sleep(100);
      polling = false;
      await poller;
      const max = Math.max(...health);
      console.info(
        `big JSON: ${bodies.length} bodies of ${(bodies[0]!.length / 1e6).toFixed(1)} MB; /healthz polls ${health.length}, max ${max.toFixed(1)} ms`,
      );
      for (const a of answers) expect([a.status, a.body['code']]).toEqual([413, 'BODY_TOO_COMPLEX']);
      expect(String(answers[0]!.body['message'])).toContain('65536');
      expect(health.length).toBeGreaterThan(5);
      // Measured before the change: 3.2-3.7 s (JSON.parse of each body on the event loop). Margin for a loaded 2-core machine.
      expect(max).toBeLessThan(500);
      expect(s.stderr()).toBe('');
    } finally {
      await s.stop();
    }
  }, 30_000);

  it('a large flat JSON body (one base64 image) is still read; a small nested one too', async () => {
    const { startServer } = await load();
    const s = await startServer({ port: 0, workers: 1, log: () => undefined });
    try {
      const image = Buffer.alloc(3 * 1024 * 1024, 7).toString('base64');
      const r = await post(s.port, JSON.stringify({ nominal: 1, image, note: 'escaped \\"quote\\" and \\\\ slash' }));
      // Parsed and handed to the decoder, which finds no image format in those bytes.
      expect(r.status).toBe(400);
      expect(r.body['code']).toBe('IMAGE_UNSUPPORTED_FORMAT');
      const nested = await post(s.port, JSON.stringify({ qris: STATIC, nominal: 2, meta: { a: [1, 2, 3] } }));
      expect(nested.status).toBe(200);
    } finally {
      await s.close(100);
    }
  });
});

describe('a request Node cannot turn into a URL or parse at all', () => {
  const raw = (port: number, text: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(text));
      let out = '';
      socket.on('data', (c: Buffer) => (out += c.toString('latin1')));
      socket.on('close', () => resolve(out));
      socket.on('error', reject);
    });

  it('`GET http://[/` and a garbage request line: 400 with a JSON body, nothing logged (in process and the bin)', async () => {
    const { startServer } = await load();
    const logged: string[] = [];
    const s = await startServer({ port: 0, workers: 1, log: (l) => logged.push(l) });
    try {
      for (const text of ['GET http://[/ HTTP/1.1\r\nhost: x\r\n\r\n', 'GET /\x01 HTTP/1.1\r\n\r\n', 'HELLO\r\n\r\n']) {
        const answer = await raw(s.port, text);
        expect(statusOf(answer), JSON.stringify(text)).toBe(400);
        expect(answer).toMatch(/content-type: application\/json/i);
        const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
        expect(body).toMatchObject({ success: false, code: 'BAD_REQUEST', error: expect.any(String) });
      }
      expect(logged).toEqual([]);
      expect((await post(s.port, normalBody(1))).status).toBe(200);
    } finally {
      await s.close(100);
    }
    // The bin writes nothing like a stack trace to stderr.
    const bin = await spawnServe();
    try {
      for (let i = 0; i < 3; i++) expect(statusOf(await raw(bin.port, 'GET http://[/ HTTP/1.1\r\nhost: x\r\n\r\n'))).toBe(400);
      await sleep(100);
      expect(bin.stderr()).not.toMatch(/\n\s+at |TypeError|Invalid URL|unexpected error/);
    } finally {
      await bin.stop();
    }
  });
});

describe('a client that goes away mid-body', () => {
  it('is not logged as a server fault, and its share of the budget comes back', async () => {
    const { startServer } = await load();
    const logged: string[] = [];
    const s = await startServer({ port: 0, workers: 1, log: (l) => logged.push(l) });
    try {
      for (const length of [900 * 1024, 2_000]) {
        const u = await dripUpload(s.port, '127.0.0.40', length, 60_000);
        u.socket.write(Buffer.alloc(Math.floor(length / 2), 0x20));
        await sleep(100);
        u.socket.destroy();
      }
      await sleep(200);
      expect(logged).toEqual([]);
      expect(s.bodies.usage).toMatchObject({ small: 0, bodies: 0, bytes: 0 });
    } finally {
      await s.close(100);
    }
  });
});

describe('FETCH_REFUSED reads the same whatever the address resolved to', () => {
  it('a private-resolving name, a name with no address, one that does not resolve, a mixed one and a literal: one body', async () => {
    const { startServer } = await load();
    let connects = 0;
    const dns: Record<string, readonly { address: string; family: 4 | 6 }[] | 'ENOTFOUND'> = {
      'db.internal.corp': [{ address: '10.1.2.3', family: 4 }],
      'images.example.com': [],
      'nothing.example.com': 'ENOTFOUND',
      'cdn.example.net': [
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ],
    };
    const s = await startServer({
      port: 0,
      workers: 1,
      allowImageUrl: true,
      fetch: {
        lookup: async (host) => {
          const a = dns[host];
          if (a === undefined || a === 'ENOTFOUND') throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
          return a;
        },
        connect: async () => {
          connects++;
          throw new Error('no network in this test');
        },
      },
      log: () => undefined,
    });
    try {
      const answers: string[] = [];
      for (const host of [...Object.keys(dns), '10.0.0.1', 'localhost', '[::1]']) {
        const r = await post(s.port, JSON.stringify({ image_url: `http://${host}/qr.png`, nominal: 1 }));
        expect([host, r.status, r.body['code']]).toEqual([host, 400, 'FETCH_REFUSED']);
        answers.push(JSON.stringify(r.body));
      }
      expect(new Set(answers).size).toBe(1);
      for (const fact of ['10.1.2.3', 'private', 'loopback', 'no address', 'internal', 'example']) expect(answers[0]).not.toContain(fact);
      expect(connects).toBe(0);
    } finally {
      await s.close(100);
    }
  });
});
