// convertWithFallback: local first, the server only for images that cannot be read here.
// The server is a real HTTP server on 127.0.0.1; the image decoder is injected or the real one.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { toDynamic } from '../src/qris/convert.js';
import { QrisError } from '../src/errors.js';
import { parse } from '../src/codec/tlv.js';
import { convertWithFallback, createBayarClient, RemoteError, type ImageDecoder } from '../src/remote/index.js';
import { json, parseMultipart, startServer, type TestServer } from './remote-server.js';

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/dev-payloads.json', import.meta.url), 'utf8')) as { payload: string }[];
const STATIC = fixtures[0]!.payload;
const API_KEY = 'fallback-key-123';
const PNG_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.seen.length = 0;
  server.reply(json(200, { success: true, data: { converted_qris: toDynamic(STATIC, { amount: 25000, decimals: 2 }) } }));
});

const client = () => createBayarClient({ apiKey: API_KEY, baseUrl: server.baseUrl, retryDelayMs: 1 });
const failing = (code: ConstructorParameters<typeof QrisError>[0]): ImageDecoder & { calls: number } => {
  const f = Object.assign(
    async () => {
      f.calls++;
      throw new QrisError(code);
    },
    { calls: 0 },
  );
  return f;
};
const reading =
  (payload: string): ImageDecoder =>
  async () => ({ payload });
const amountOf = (payload: string) => parse(payload).nodes.find((n) => n.id === '54')?.value;

describe('a payload is always converted locally', () => {
  it('without a client', async () => {
    const r = await convertWithFallback(STATIC, { amount: 25000 });
    expect(r).toEqual({ payload: toDynamic(STATIC, { amount: 25000 }), source: 'local', verified: 'exact', original: STATIC });
  });

  it('with a client, the server is not called', async () => {
    const r = await convertWithFallback(STATIC, { amount: 25000, client: client() });
    expect(r.source).toBe('local');
    expect(server.seen).toHaveLength(0);
  });

  it('a bad CRC, a bad amount or an already dynamic code is thrown, never sent', async () => {
    const c = client();
    await expect(convertWithFallback(STATIC.slice(0, -4) + '0000', { amount: 25000, client: c })).rejects.toMatchObject({ code: 'CRC_MISMATCH' });
    await expect(convertWithFallback(STATIC, { amount: -1, client: c })).rejects.toMatchObject({ code: 'BAD_AMOUNT' });
    await expect(convertWithFallback(toDynamic(STATIC, { amount: 1 }), { amount: 5, client: c })).rejects.toMatchObject({ code: 'ALREADY_DYNAMIC' });
    await expect(convertWithFallback('not a payload', { amount: 5, client: c })).rejects.toBeInstanceOf(QrisError);
    expect(server.seen).toHaveLength(0);
  });
});

describe('an image', () => {
  it('read locally is converted locally', async () => {
    const r = await convertWithFallback(PNG_BYTES, { amount: 25000, client: client(), decodeImage: reading(STATIC) });
    expect(r).toEqual({ payload: toDynamic(STATIC, { amount: 25000 }), source: 'local', verified: 'exact', original: STATIC });
    expect(server.seen).toHaveLength(0);
  });

  for (const code of ['IMAGE_NO_QR', 'IMAGE_CORRUPT', 'IMAGE_UNSUPPORTED_FORMAT', 'IMAGE_ENGINE_MISSING'] as const) {
    it(`that fails locally with ${code} goes to the server as multipart`, async () => {
      const r = await convertWithFallback(PNG_BYTES, { amount: 25000, client: client(), decodeImage: failing(code) });
      expect(r.source).toBe('remote');
      expect(r.verified).toBe('structure-only');
      expect((r.localError as QrisError).code).toBe(code);
      expect(r.attempts).toBe(1);
      // The server wrote 25000.00; the result follows the caller's format (decimals 0) like a local one.
      expect(r.payload).toBe(toDynamic(STATIC, { amount: 25000 }));
      const req = server.seen[0]!;
      expect(req.headers['x-api-key']).toBe(API_KEY);
      const parts = parseMultipart(req.headers['content-type'], req.body);
      expect(parts.find((p) => p.name === 'nominal')?.data.toString()).toBe('25000');
      expect([...parts.find((p) => p.name === 'image')!.data]).toEqual([...PNG_BYTES]);
    });
  }

  it('without a client, a local failure is thrown as is', async () => {
    await expect(convertWithFallback(PNG_BYTES, { amount: 25000, decodeImage: failing('IMAGE_NO_QR') })).rejects.toMatchObject({
      name: 'QrisError',
      code: 'IMAGE_NO_QR',
    });
  });

  for (const code of ['IMAGE_TOO_LARGE', 'IMAGE_NOT_EMVCO', 'BAD_OPTION'] as const) {
    it(`${code} is not sent to the server`, async () => {
      await expect(convertWithFallback(PNG_BYTES, { amount: 25000, client: client(), decodeImage: failing(code) })).rejects.toMatchObject({ code });
      expect(server.seen).toHaveLength(0);
    });
  }

  it('read locally but with a bad CRC is thrown, not sent', async () => {
    const decodeImage = reading(STATIC.slice(0, -4) + '0000');
    await expect(convertWithFallback(PNG_BYTES, { amount: 25000, client: client(), decodeImage })).rejects.toMatchObject({ code: 'CRC_MISMATCH' });
    expect(server.seen).toHaveLength(0);
  });

  it('with a bad amount or option fails before decoding or sending', async () => {
    const decodeImage = failing('IMAGE_NO_QR');
    await expect(convertWithFallback(PNG_BYTES, { amount: '12,5', client: client(), decodeImage })).rejects.toMatchObject({ code: 'BAD_AMOUNT' });
    await expect(convertWithFallback(PNG_BYTES, { amount: 5, referenceLabel: 'x'.repeat(40), client: client(), decodeImage })).rejects.toBeInstanceOf(
      QrisError,
    );
    expect(decodeImage.calls).toBe(0);
    expect(server.seen).toHaveLength(0);
  });

  it('the caller options (fee, reference, decimals) apply to the remote result too', async () => {
    const options = { amount: '25000.50', decimals: 2, fee: { type: 'fixed', value: 1000 }, referenceLabel: 'INV-9' } as const;
    server.reply(json(200, { success: true, qris: toDynamic(STATIC, { amount: '25000.5', decimals: 2 }) }));
    const r = await convertWithFallback(PNG_BYTES, { ...options, client: client(), decodeImage: failing('IMAGE_NO_QR') });
    expect(r.source).toBe('remote');
    expect(r.payload).toBe(toDynamic(STATIC, options));
    expect(amountOf(r.payload)).toBe('25000.50');
  });

  it('an untrusted server answer is thrown and its payload not returned', async () => {
    server.reply(json(200, { success: true, qris: toDynamic(STATIC, { amount: 99999 }) }));
    const e = await convertWithFallback(PNG_BYTES, { amount: 25000, client: client(), decodeImage: failing('IMAGE_NO_QR') }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(RemoteError);
    expect((e as RemoteError).kind).toBe('untrusted');
    expect((e as RemoteError).code).toBe('AMOUNT_MISMATCH');
  });

  it('a URL the decoder could not fetch goes as image_url; base64 as image', async () => {
    await convertWithFallback('https://example.com/q.png', { amount: 25000, client: client(), decodeImage: failing('FETCH_FAILED') });
    const b64 = Buffer.from(new Uint8Array(80).fill(7)).toString('base64');
    await convertWithFallback(b64, { amount: 25000, client: client(), decodeImage: failing('IMAGE_UNSUPPORTED_FORMAT') });
    await convertWithFallback(`data:image/heic;base64,${b64}`, { amount: 25000, client: client(), decodeImage: failing('IMAGE_UNSUPPORTED_FORMAT') });
    expect(server.seen.map((r): unknown => JSON.parse(r.body.toString()))).toEqual([
      { image_url: 'https://example.com/q.png', nominal: 25000 },
      { image: b64, nominal: 25000 },
      { image: b64, nominal: 25000 },
    ]);
  });

  it('an aborted signal stops before the server is called', async () => {
    const e = await convertWithFallback(PNG_BYTES, { amount: 25000, client: client(), decodeImage: failing('IMAGE_NO_QR'), signal: AbortSignal.abort() }).catch(
      (err: unknown) => err,
    );
    expect((e as RemoteError).kind).toBe('aborted');
    expect(server.seen).toHaveLength(0);
  });
});

const HAS_IMAGE = existsSync(new URL('../src/image/index.ts', import.meta.url));

describe('the image module is loaded lazily', () => {
  it.skipIf(!HAS_IMAGE)('a payload never loads it; an image does', async () => {
    vi.resetModules();
    const loaded = { count: 0 };
    vi.doMock('../src/image/index.js', () => {
      loaded.count++;
      return { decodeImage: async () => ({ payload: STATIC }) };
    });
    try {
      const remote = await import('../src/remote/index.js');
      await remote.convertWithFallback(STATIC, { amount: 1000 });
      expect(loaded.count).toBe(0);
      const r = await remote.convertWithFallback(PNG_BYTES, { amount: 1000 });
      expect(loaded.count).toBe(1);
      expect(r.source).toBe('local');
    } finally {
      vi.doUnmock('../src/image/index.js');
      vi.resetModules();
    }
  });

  it('src/remote has no node: imports and no static import of the image module', () => {
    const dir = new URL('../src/remote/', import.meta.url);
    for (const f of readdirSync(dir)) {
      const src = readFileSync(new URL(f, dir), 'utf8');
      expect(src, f).not.toMatch(/from\s+['"]node:|require\(['"]node:|import\(['"]node:/);
      expect(src, f).not.toMatch(/^import(?!\s+type\b)[^;]*from\s+['"]\.\.\/image/m);
      expect(src, f).not.toMatch(/['"](jimp|jsqr|sharp|qrcode)['"]/);
    }
  });
});

describe.skipIf(!HAS_IMAGE)('with the real image module', () => {
  async function png(payload: string | null): Promise<Uint8Array> {
    const sharp = (await import('sharp')).default;
    if (payload === null)
      return new Uint8Array(
        await sharp({ create: { width: 240, height: 240, channels: 3, background: 'white' } })
          .png()
          .toBuffer(),
      );
    const QRCode = (await import('qrcode')).default;
    return new Uint8Array(await QRCode.toBuffer(payload, { margin: 4, scale: 6 }));
  }

  it('a readable QR image is converted locally', async () => {
    const r = await convertWithFallback(await png(STATIC), { amount: 25000, client: client() });
    expect(r.source).toBe('local');
    expect(r.payload).toBe(toDynamic(STATIC, { amount: 25000 }));
    expect(server.seen).toHaveLength(0);
  });

  it('an image without a QR code goes to the server, bytes intact', async () => {
    const blank = await png(null);
    const r = await convertWithFallback(blank, { amount: 25000, client: client() });
    expect(r.source).toBe('remote');
    expect((r.localError as QrisError).code).toBe('IMAGE_NO_QR');
    const parts = parseMultipart(server.seen[0]!.headers['content-type'], server.seen[0]!.body);
    expect(Buffer.compare(parts.find((p) => p.name === 'image')!.data, Buffer.from(blank))).toBe(0);
  });

  it('a truncated PNG goes to the server; one over maxBytes does not', async () => {
    const cut = (await png(STATIC)).subarray(0, 60);
    const r = await convertWithFallback(cut, { amount: 25000, client: client() });
    expect(r.source).toBe('remote');
    expect((r.localError as QrisError).code).toBe('IMAGE_CORRUPT');
    server.seen.length = 0;
    const big = await png(STATIC);
    await expect(convertWithFallback(big, { amount: 25000, client: client(), imageOptions: { maxBytes: 100 } })).rejects.toMatchObject({
      code: 'IMAGE_TOO_LARGE',
    });
    expect(server.seen).toHaveLength(0);
  });

  it('without a client, an image without a QR code throws IMAGE_NO_QR', async () => {
    await expect(convertWithFallback(await png(null), { amount: 25000 })).rejects.toMatchObject({ code: 'IMAGE_NO_QR' });
  });
});
