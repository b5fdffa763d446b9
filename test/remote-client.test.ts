// The BAYAR GG client against a real HTTP server on 127.0.0.1 (node:http, port 0): no mocks and no
// other network. Dynamic answers are computed with the real toDynamic.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toDynamic } from '../src/qris/convert.js';
import { QrisError } from '../src/errors.js';
import { parse, serialize } from '../src/codec/tlv.js';
import { createBayarClient, type RemoteError, isRemoteError, type BayarClientOptions } from '../src/remote/index.js';
import { backoffDelay, parseRetryAfter } from '../src/remote/retry.js';
import { json, parseMultipart, slow, slowBody, startServer, text, type TestServer } from './remote-server.js';

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/dev-payloads.json', import.meta.url), 'utf8')) as { payload: string; kind: string }[];
/** DANA static, "Warung Sayur Bu Sugeng". */
const STATIC = fixtures[0]!.payload;
const DYNAMIC = toDynamic(STATIC, { amount: 25000 });
const API_KEY = 'sk_live_SECRET-7f3a9c';

/** Every error the tests saw: checked at the end for the key. */
const errors: unknown[] = [];

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.seen.length = 0;
});

function client(options: Partial<BayarClientOptions> = {}) {
  return createBayarClient({ apiKey: API_KEY, baseUrl: server.baseUrl, retryDelayMs: 1, timeoutMs: 2000, ...options });
}

/** Awaits a rejection and returns the RemoteError (failing the test otherwise). */
async function failure(p: Promise<unknown>): Promise<RemoteError> {
  const e = await p.then(
    (v) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(v)}`);
    },
    (err: unknown) => err,
  );
  errors.push(e);
  expect(isRemoteError(e)).toBe(true);
  return e as RemoteError;
}

/** `payload` with data object `id` set to `value` (CRC recomputed), or removed when undefined. */
function withField(payload: string, id: string, value: string | undefined): string {
  const nodes = parse(payload)
    .nodes.filter((n) => n.id !== id || value !== undefined)
    .map((n) => (n.id === id ? { id, value: value! } : n));
  return serialize(nodes);
}

describe('convert: success in every response shape', () => {
  const shapes: [string, unknown][] = [
    ['flat qris', { success: true, qris: DYNAMIC }],
    ['flat converted_qris', { success: true, converted_qris: DYNAMIC }],
    ['flat qris_string', { success: true, qris_string: DYNAMIC }],
    ['nested data.qris', { success: true, data: { qris: DYNAMIC } }],
    ['nested data.converted_qris', { success: true, data: { converted_qris: DYNAMIC, nominal: 25000 } }],
    ['nested data.qris_string', { success: true, data: { qris_string: DYNAMIC } }],
    ['input echoed as qris, result as converted_qris', { success: true, qris: STATIC, converted_qris: DYNAMIC }],
    ['no success flag at all', { data: { qris_string: DYNAMIC } }],
  ];
  for (const [name, body] of shapes) {
    it(name, async () => {
      server.reply(json(200, body));
      const out = await client().convert({ qris: STATIC, nominal: 25000 });
      expect(out.payload).toBe(DYNAMIC);
      expect(out.verified).toBe('exact');
      expect(out.attempts).toBe(1);
      expect(out.parsed.nodes.find((n) => n.id === '54')?.value).toBe('25000');
      const req = server.seen[0]!;
      expect(req.method).toBe('POST');
      expect(req.url).toBe('/api/qris-convert.php');
      expect(req.headers['content-type']).toBe('application/json');
      expect(JSON.parse(req.body.toString())).toEqual({ qris: STATIC, nominal: 25000 });
    });
  }

  it('accepts an amount written with decimals ("25000.00" == 25000) and returns the local conversion', async () => {
    const answer = toDynamic(STATIC, { amount: 25000, decimals: 2 });
    server.reply(json(200, { success: true, qris: answer }));
    const out = await client().convert({ qris: STATIC, nominal: '25000' });
    expect(out.verified).toBe('exact');
    expect(out.payload).toBe(DYNAMIC);
    expect(out.parsed.nodes.find((n) => n.id === '54')?.value).toBe('25000');
    expect(out.raw).toEqual({ success: true, qris: answer }); // the server's own text stays in raw only
  });

  it("exact returns the library's own conversion byte for byte, whatever way the server spelt the CRC or the amount", async () => {
    const local = toDynamic(STATIC, { amount: 50000 });
    const with54 = (v: string) => serialize(parse(local).nodes.map((n) => (n.id === '54' ? { id: '54', value: v } : n)));
    const lower = (p: string) => p.slice(0, -4) + p.slice(-4).toLowerCase();
    expect(lower(local)).not.toBe(local); // the CRC holds a letter, so the case differs
    const answers = [lower(local), with54('0050000'), with54('50000.'), with54('50000.00'), lower(with54('050000.0'))];
    for (const answer of answers) {
      expect(answer).not.toBe(local);
      for (const nominal of [50000, '50000', '50000.00']) {
        server.reply(json(200, { success: true, data: { converted_qris: answer } }));
        const out = await client().convert({ qris: STATIC, nominal });
        expect(out.verified).toBe('exact');
        expect(out.payload, `${answer.slice(-30)} for ${nominal}`).toBe(local);
        expect(out.parsed.payload).toBe(local);
        expect(serialize(out.parsed)).toBe(local);
      }
    }
    // Cents asked for: the local conversion writes two decimals, whatever the server wrote.
    server.reply(json(200, { success: true, qris: with54('0050000.5') }));
    expect((await client().convert({ qris: STATIC, nominal: '50000.5' })).payload).toBe(toDynamic(STATIC, { amount: '50000.50', decimals: 2 }));
  });

  it('accepts a payload whose merchant keeps a tip indicator (55 unchanged)', async () => {
    const tip = fixtures[1]!.payload;
    server.reply(json(200, { success: true, qris: toDynamic(tip, { amount: 1000 }) }));
    const out = await client().convert({ qris: tip, nominal: 1000 });
    expect(out.parsed.nodes.find((n) => n.id === '55')?.value).toBe('01');
  });
});

describe('convert: HTTP errors', () => {
  it('401 is an auth error, not retried', async () => {
    server.reply(json(401, { success: false, message: 'Invalid API key' }));
    const e = await failure(client().convert({ qris: STATIC, nominal: 25000 }));
    expect(e.kind).toBe('auth');
    expect(e.status).toBe(401);
    expect(e.serverMessage).toBe('Invalid API key');
    expect(e.attempts).toBe(1);
    expect(e.endpoint).toBe('/qris-convert.php');
    expect(server.seen).toHaveLength(1);
  });

  it('403 is an auth error', async () => {
    server.reply(json(403, { success: false, error: 'Forbidden' }));
    const e = await failure(client().convert({ qris: STATIC, nominal: 25000 }));
    expect(e.kind).toBe('auth');
    expect(e.status).toBe(403);
    expect(server.seen).toHaveLength(1);
  });

  it('429 with Retry-After waits that long, then succeeds', async () => {
    server.reply(json(429, { success: false, message: 'Too many requests' }, { 'retry-after': '1' }), json(200, { success: true, qris: DYNAMIC }));
    const t0 = Date.now();
    const out = await client({ retryDelayMs: 1 }).convert({ qris: STATIC, nominal: 25000 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(out.attempts).toBe(2);
    expect(out.payload).toBe(DYNAMIC);
  });

  it('429 with a Retry-After beyond maxRetryDelayMs is not waited out', async () => {
    server.reply(json(429, { success: false }, { 'retry-after': '120' }));
    const t0 = Date.now();
    const e = await failure(client().convert({ qris: STATIC, nominal: 25000 }));
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(e.kind).toBe('rate_limit');
    expect(e.retryAfterMs).toBe(120_000);
    expect(server.seen).toHaveLength(1);
  });

  it('429 without Retry-After backs off and gives up after `retries`', async () => {
    server.reply(json(429, { success: false }));
    const e = await failure(client({ retries: 1 }).convert({ qris: STATIC, nominal: 25000 }));
    expect(e.kind).toBe('rate_limit');
    expect(e.retryAfterMs).toBeUndefined();
    expect(e.attempts).toBe(2);
  });

  it('500 twice, then success', async () => {
    server.reply(json(500, { success: false }), text(502, '<html>Bad Gateway</html>'), json(200, { success: true, data: { qris: DYNAMIC } }));
    const out = await client().convert({ qris: STATIC, nominal: 25000 });
    expect(out.attempts).toBe(3);
    expect(server.seen).toHaveLength(3);
  });

  it('500 beyond the retries is a server error after retries + 1 attempts', async () => {
    server.reply(json(503, { success: false, message: 'maintenance' }));
    const e = await failure(client({ retries: 2 }).convert({ qris: STATIC, nominal: 25000 }));
    expect(e.kind).toBe('server');
    expect(e.status).toBe(503);
    expect(e.serverMessage).toBe('maintenance');
    expect(e.attempts).toBe(3);
    expect(server.seen).toHaveLength(3);
  });

  it('retries: 0 makes a single attempt', async () => {
    server.reply(json(500, {}));
    const e = await failure(client({ retries: 0 }).convert({ qris: STATIC, nominal: 25000 }));
    expect(e.attempts).toBe(1);
    expect(server.seen).toHaveLength(1);
  });

  it('another 4xx is rejected, not retried', async () => {
    server.reply(json(422, { success: false, error: { code: 'INVALID_NOMINAL', message: 'Nominal too small' } }));
    const e = await failure(client().convert({ qris: STATIC, nominal: 25000 }));
    expect(e.kind).toBe('rejected');
    expect(e.status).toBe(422);
    expect(e.code).toBe('INVALID_NOMINAL');
    expect(e.serverMessage).toBe('Nominal too small');
    expect(server.seen).toHaveLength(1);
  });

  it('a redirect is not followed (the key would travel with it)', async () => {
    const other = await startServer();
    try {
      server.reply((_req, res) => {
        res.writeHead(307, { location: other.baseUrl + '/qris-convert.php' });
        res.end();
      });
      const e = await failure(client().convert({ qris: STATIC, nominal: 25000 }));
      expect(e.kind).toBe('rejected');
      expect(e.status).toBe(307);
      expect(other.seen).toHaveLength(0);
    } finally {
      await other.close();
    }
  });
});

describe('convert: timeouts, network, unreadable bodies', () => {
  it('a response slower than the timeout is a timeout error (not retried)', async () => {
    server.reply(slow(1500, json(200, { success: true, qris: DYNAMIC })));
    const t0 = Date.now();
    const e = await failure(client({ timeoutMs: 150 }).convert({ qris: STATIC, nominal: 25000 }));
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(e.kind).toBe('timeout');
    expect(e.attempts).toBe(1);
    expect(server.seen).toHaveLength(1);
  });

  it('the timeout also covers a body that arrives late', async () => {
    server.reply(slowBody(1500, { success: true, qris: DYNAMIC }));
    const e = await failure(client({ timeoutMs: 150 }).convert({ qris: STATIC, nominal: 25000 }));
    expect(e.kind).toBe('timeout');
  });

  it('a refused connection is a network error, retried', async () => {
    const gone = await startServer();
    const baseUrl = gone.baseUrl;
    await gone.close();
    const e = await failure(client({ baseUrl, retries: 2 }).convert({ qris: STATIC, nominal: 25000 }));
    expect(e.kind).toBe('network');
    expect(e.attempts).toBe(3);
  });

  it('malformed JSON with HTTP 200 is unreadable, not retried', async () => {
    server.reply(text(200, '{"success": true, "qris": "0002'));
    const e = await failure(client().convert({ qris: STATIC, nominal: 25000 }));
    expect(e.kind).toBe('unreadable');
    expect(e.status).toBe(200);
    expect(server.seen).toHaveLength(1);
  });

  it('an HTML page with HTTP 200 is unreadable', async () => {
    server.reply(text(200, '<!doctype html><title>Maintenance</title>'));
    expect((await failure(client().convert({ qris: STATIC, nominal: 25000 }))).kind).toBe('unreadable');
  });

  it('JSON without any payload field is unreadable', async () => {
    server.reply(json(200, { success: true, data: { nominal: 25000 } }));
    expect((await failure(client().convert({ qris: STATIC, nominal: 25000 }))).kind).toBe('unreadable');
  });
});

describe('convert: success:false with HTTP 200', () => {
  it('{ success: false, error }', async () => {
    server.reply(json(200, { success: false, error: 'QRIS tidak valid' }));
    const e = await failure(client().convert({ qris: STATIC, nominal: 25000 }));
    expect(e.kind).toBe('rejected');
    expect(e.status).toBe(200);
    expect(e.serverMessage).toBe('QRIS tidak valid');
    expect(e.message).toContain('QRIS tidak valid');
    expect(server.seen).toHaveLength(1);
  });

  it('{ success: false, message }', async () => {
    server.reply(json(200, { success: false, message: 'Saldo tidak cukup', code: 'E42' }));
    const e = await failure(client().convert({ qris: STATIC, nominal: 25000 }));
    expect(e.kind).toBe('rejected');
    expect(e.serverMessage).toBe('Saldo tidak cukup');
    expect(e.code).toBe('E42');
  });

  it('qris serve and BAYAR GG envelopes: code from `code` (or a legacy code in `error`), the sentence kept', async () => {
    const sentence = 'No QR code was found in the image.';
    const cases: [unknown, string | undefined, string][] = [
      // qris serve 0.2: the sentence in error (as BAYAR GG), the stable code beside it.
      [{ success: false, error: sentence, code: 'IMAGE_NO_QR', message: sentence }, 'IMAGE_NO_QR', sentence],
      // qris serve before 0.2: the code in error, the sentence in message.
      [{ success: false, error: 'IMAGE_NO_QR', message: sentence }, 'IMAGE_NO_QR', sentence],
      // BAYAR GG: the sentence alone.
      [{ success: false, error: 'QRIS tidak valid' }, undefined, 'QRIS tidak valid'],
      [{ success: false, error: 'Nominal minimal 1000', message: 'Gagal' }, undefined, 'Nominal minimal 1000'],
    ];
    for (const [body, code, said] of cases) {
      server.reply(json(400, body));
      const e = await failure(client().convert({ qris: STATIC, nominal: 25000 }));
      expect({ kind: e.kind, code: e.code, serverMessage: e.serverMessage }).toEqual({ kind: 'rejected', code, serverMessage: said });
      expect(e.message).toContain(said);
    }
  });

  it('{ data: { success: false, message } }', async () => {
    server.reply(json(200, { data: { success: false, message: 'nested failure', qris: DYNAMIC } }));
    const e = await failure(client().convert({ qris: STATIC, nominal: 25000 }));
    expect(e.kind).toBe('rejected');
    expect(e.serverMessage).toBe('nested failure');
  });
});

describe('convert: a tampered answer is untrusted and never returned', () => {
  const cases: [string, string, string][] = [
    ['bad CRC', DYNAMIC.slice(0, -4) + (DYNAMIC.endsWith('0000') ? '1111' : '0000'), 'CRC_MISMATCH'],
    ['wrong amount', toDynamic(STATIC, { amount: 250000 }), 'AMOUNT_MISMATCH'],
    ['amount missing', withField(DYNAMIC, '54', undefined), 'AMOUNT_MISMATCH'],
    ['01 still 11', withField(DYNAMIC, '01', '11'), 'NOT_DYNAMIC'],
    ['changed merchant name', withField(DYNAMIC, '59', 'Warung Penipu'), 'MERCHANT_CHANGED'],
    ['changed merchant city', withField(DYNAMIC, '60', 'Jakarta'), 'MERCHANT_CHANGED'],
    [
      'changed account in 26',
      withField(
        DYNAMIC,
        '26',
        parse(DYNAMIC)
          .nodes.find((n) => n.id === '26')!
          .value.replace('9360091530225914810', '9360091530225914811'),
      ),
      'MERCHANT_CHANGED',
    ],
    ['removed postal code', withField(DYNAMIC, '61', undefined), 'MERCHANT_CHANGED'],
    [
      'added merchant account 27',
      serialize([...parse(DYNAMIC).nodes.slice(0, 3), { id: '27', value: '0011ID.EVIL.WWW' }, ...parse(DYNAMIC).nodes.slice(3)]),
      'MERCHANT_CHANGED',
    ],
    ['fee added', toDynamic(STATIC, { amount: 25000, fee: { type: 'fixed', value: 5000 } }), 'FEE_CHANGED'],
    ['not a payload at all', 'hello', 'BAD_ID'],
  ];
  for (const [name, payload, code] of cases) {
    it(name, async () => {
      server.reply(json(200, { success: true, qris: payload }));
      const e = await failure(client().convert({ qris: STATIC, nominal: 25000 }));
      expect(e.kind).toBe('untrusted');
      expect(e.code).toBe(code);
      expect(e.attempts).toBe(1);
      // Untrusted answers are not retried, and nothing of the payload is handed back.
      expect(server.seen).toHaveLength(1);
      expect(JSON.stringify(e)).not.toContain(payload.slice(-4) + '"');
    });
  }

  it('for an image, merchant fields cannot be compared, but CRC, 01 and amount still are', async () => {
    server.reply(json(200, { success: true, qris: toDynamic(STATIC, { amount: 999 }) }));
    const e = await failure(client().convert({ image: 'iVBORw0KGgo=', nominal: 25000 }));
    expect(e.kind).toBe('untrusted');
    expect(e.code).toBe('AMOUNT_MISMATCH');
    server.reply(json(200, { success: true, qris: withField(DYNAMIC, '59', 'Other Shop') }));
    const ok = await client().convert({ image: 'iVBORw0KGgo=', nominal: 25000 });
    expect(ok.parsed.nodes.find((n) => n.id === '59')?.value).toBe('Other Shop');
    expect(ok.verified).toBe('structure-only');
  });
});

describe('convert: request bodies', () => {
  it('raw image bytes go as multipart/form-data, received intact with the nominal', async () => {
    server.reply(json(200, { success: true, qris: DYNAMIC }));
    // A PNG signature then every byte value (CR, LF, '-' included), inside a larger buffer.
    const backing = new Uint8Array(600);
    const png = backing.subarray(10, 10 + 8 + 512);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    for (let i = 0; i < 512; i++) png[8 + i] = i & 0xff;
    backing.fill(0xee, 0, 10);
    backing.fill(0xee, 530);
    await client().convert({ image: png, nominal: '25000' });
    const req = server.seen[0]!;
    expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const parts = parseMultipart(req.headers['content-type'], req.body);
    const nominal = parts.find((p) => p.name === 'nominal');
    const image = parts.find((p) => p.name === 'image');
    expect(nominal?.data.toString()).toBe('25000');
    expect(image?.contentType).toBe('image/png');
    expect(image?.filename).toBe('qris.png');
    expect(Buffer.compare(image!.data, Buffer.from(png))).toBe(0);
  });

  it('an ArrayBuffer of JPEG bytes goes as multipart too', async () => {
    server.reply(json(200, { success: true, qris: DYNAMIC }));
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
    await client().convert({ image: jpeg.buffer, nominal: 25000 });
    const parts = parseMultipart(server.seen[0]!.headers['content-type'], server.seen[0]!.body);
    const image = parts.find((p) => p.name === 'image')!;
    expect(image.contentType).toBe('image/jpeg');
    expect([...image.data]).toEqual([...jpeg]);
  });

  it('a base64 image goes as JSON { image, nominal }; a data URL prefix is stripped', async () => {
    server.reply(json(200, { success: true, qris: DYNAMIC }));
    await client().convert({ image: 'iVBORw0KGgoAAAANSUhEUg==', nominal: 25000 });
    await client().convert({ image: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==', nominal: 25000 });
    for (const req of server.seen) {
      expect(req.headers['content-type']).toBe('application/json');
      expect(JSON.parse(req.body.toString())).toEqual({ image: 'iVBORw0KGgoAAAANSUhEUg==', nominal: 25000 });
    }
  });

  it('an image URL goes as JSON { image_url, nominal }', async () => {
    server.reply(json(200, { success: true, qris: DYNAMIC }));
    await client().convert({ imageUrl: 'https://example.com/qris.png', nominal: 25000 });
    await client().convert({ image: 'https://example.com/qris.png', nominal: 25000 });
    for (const req of server.seen) expect(JSON.parse(req.body.toString())).toEqual({ image_url: 'https://example.com/qris.png', nominal: 25000 });
  });

  it('a bad nominal or a broken payload fails before any request', async () => {
    for (const nominal of [0, -5, Number.NaN, '12,5', '1e5', '', '25000.001']) {
      await expect(client().convert({ qris: STATIC, nominal })).rejects.toMatchObject({ name: 'QrisError', code: 'BAD_AMOUNT' });
    }
    const broken = STATIC.slice(0, -4) + '0000';
    await expect(client().convert({ qris: broken, nominal: 1000 })).rejects.toBeInstanceOf(QrisError);
    expect(server.seen).toHaveLength(0);
  });
});

describe('cancellation', () => {
  it('the caller signal aborts a request in flight', async () => {
    server.reply(slow(3000, json(200, { success: true, qris: DYNAMIC })));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const t0 = Date.now();
    const e = await failure(client({ timeoutMs: 10_000 }).convert({ qris: STATIC, nominal: 25000, signal: ac.signal }));
    expect(e.kind).toBe('aborted');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(server.seen).toHaveLength(1);
  });

  it('the caller signal cancels a backoff sleep, and nothing is sent after it', async () => {
    server.reply(json(500, {}));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const t0 = Date.now();
    const e = await failure(client({ retryDelayMs: 20_000, maxRetryDelayMs: 60_000 }).convert({ qris: STATIC, nominal: 25000, signal: ac.signal }));
    expect(e.kind).toBe('aborted');
    expect(e.attempts).toBe(1);
    expect(Date.now() - t0).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 100));
    expect(server.seen).toHaveLength(1);
  });

  it('the caller signal cancels a Retry-After wait', async () => {
    server.reply(json(429, {}, { 'retry-after': '20' }));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const e = await failure(client({ maxRetryDelayMs: 60_000 }).convert({ qris: STATIC, nominal: 25000, signal: ac.signal }));
    expect(e.kind).toBe('aborted');
    expect(server.seen).toHaveLength(1);
  });

  it('an already aborted signal sends nothing', async () => {
    const e = await failure(client().convert({ qris: STATIC, nominal: 25000, signal: AbortSignal.abort() }));
    expect(e.kind).toBe('aborted');
    expect(e.attempts).toBe(0);
    expect(server.seen).toHaveLength(0);
  });
});

describe('info', () => {
  it('POSTs { qris } and returns data, nested or flat', async () => {
    server.reply(
      json(200, { success: true, data: { merchant_name: 'Warung Sayur Bu Sugeng', city: 'Kab. Demak' } }),
      json(200, { success: true, merchant_name: 'Flat' }),
    );
    const nested = await client().info(STATIC);
    expect(nested.data).toEqual({ merchant_name: 'Warung Sayur Bu Sugeng', city: 'Kab. Demak' });
    const flat = await client().info(STATIC);
    expect(flat.data).toEqual({ merchant_name: 'Flat' });
    expect(server.seen.map((r) => r.url)).toEqual(['/api/qris-info.php', '/api/qris-info.php']);
    expect(JSON.parse(server.seen[0]!.body.toString())).toEqual({ qris: STATIC });
  });

  it('errors like convert', async () => {
    server.reply(json(200, { success: false, message: 'QRIS tidak valid' }));
    expect((await failure(client().info(STATIC))).kind).toBe('rejected');
  });
});

describe('the API key', () => {
  it('a key echoed back by the server is redacted', async () => {
    server.reply(json(401, { success: false, message: `API key ${API_KEY} is not valid` }));
    const e = await failure(client().convert({ qris: STATIC, nominal: 25000 }));
    expect(e.serverMessage).toBe('API key [redacted] is not valid');
  });

  it('shorter than 8 letters or digits is refused with BAD_OPTION saying why, never quoting it', () => {
    for (const short of ['r', 'abc1234', 'sk_1234', '--ab-cd-ef--', '....a.b.c.d.e.f.g....']) {
      let e: unknown;
      try {
        createBayarClient({ apiKey: short });
      } catch (err) {
        e = err;
      }
      expect(e, short).toBeInstanceOf(QrisError);
      expect((e as QrisError).code).toBe('BAD_OPTION');
      expect((e as QrisError).message).toMatch(/at least 8 are needed, since a shorter key could not be told apart from ordinary words/);
      if (short.length > 3) expect((e as QrisError).message).not.toContain(short);
    }
    // 8 letters or digits is enough, whatever else the key holds.
    expect(() => createBayarClient({ apiKey: 'sk_live_12345' })).not.toThrow();
    expect(() => createBayarClient({ apiKey: 'abcd1234' })).not.toThrow();
  });

  it('is refused inside baseUrl', () => {
    expect(() => createBayarClient({ apiKey: API_KEY, baseUrl: `https://x.test/api?apiKey=${API_KEY}` })).toThrow(/X-API-Key/);
    expect(() => createBayarClient({ apiKey: '' })).toThrow(QrisError);
  });

  it('goes in X-API-Key on every request, never in a URL, an error message, String(err) or JSON', async () => {
    // Runs last in this file: `errors` and the URLs cover every scenario above.
    server.reply(json(200, { success: true, qris: DYNAMIC }));
    await client().convert({ qris: STATIC, nominal: 25000 });
    expect(server.seen[0]!.headers['x-api-key']).toBe(API_KEY);
    expect(errors.length).toBeGreaterThan(30);
    for (const e of errors) {
      const err = e as RemoteError;
      expect(err.message).not.toContain(API_KEY);
      expect(String(err)).not.toContain(API_KEY);
      expect(JSON.stringify(err)).not.toContain(API_KEY);
      expect(err.stack ?? '').not.toContain(API_KEY);
      if (err.cause instanceof Error) expect(String(err.cause)).not.toContain(API_KEY);
    }
  });
});

describe('every request the server saw', () => {
  it('carried the key in X-API-Key and never in the URL', async () => {
    // A fresh pass over a mixed set of requests, all recorded.
    server.reply(json(500, {}), json(401, {}), json(200, { success: true, qris: DYNAMIC }));
    const c = client({ retries: 0 });
    await c.convert({ qris: STATIC, nominal: 25000 }).catch(() => {});
    await c.convert({ image: new Uint8Array([0x89, 0x50, 0x4e, 0x47]), nominal: 25000 }).catch(() => {});
    await c.convert({ imageUrl: 'https://example.com/a.png', nominal: 25000 });
    await c.info(STATIC).catch(() => {});
    expect(server.seen).toHaveLength(4);
    for (const req of server.seen) {
      expect(req.url).not.toContain(API_KEY);
      expect(req.url).not.toMatch(/key/i);
      expect(req.headers['x-api-key']).toBe(API_KEY);
      expect(req.headers['authorization']).toBeUndefined();
    }
  });
});

describe('options', () => {
  it('bad options are refused at creation', () => {
    for (const bad of [{ timeoutMs: 0 }, { timeoutMs: -1 }, { retries: -1 }, { retries: 1.5 }, { retryDelayMs: Number.NaN }, { baseUrl: 'ftp://x.test' }]) {
      expect(() => createBayarClient({ apiKey: API_KEY, ...bad }), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    }
  });

  it('an injected fetch is used for every attempt', async () => {
    server.reply(json(500, {}), json(200, { success: true, qris: DYNAMIC }));
    const urls: string[] = [];
    const counting: typeof fetch = (input, init) => {
      urls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      return fetch(input, init);
    };
    const out = await client({ fetch: counting }).convert({ qris: STATIC, nominal: 25000 });
    expect(out.attempts).toBe(2);
    expect(urls).toEqual([server.baseUrl + '/qris-convert.php', server.baseUrl + '/qris-convert.php']);
  });

  it('a trailing slash on baseUrl is ignored', async () => {
    server.reply(json(200, { success: true, qris: DYNAMIC }));
    await client({ baseUrl: server.baseUrl + '/' }).convert({ qris: STATIC, nominal: 25000 });
    expect(server.seen[0]!.url).toBe('/api/qris-convert.php');
  });
});

describe('retry timing', () => {
  it('backoff doubles per retry with jitter in the upper half, capped', () => {
    expect(backoffDelay(1, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(1, 100, 10_000, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, 10_000, () => 1)).toBe(400);
    expect(backoffDelay(20, 100, 1000, () => 1)).toBe(1000);
  });

  it('Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:05 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
