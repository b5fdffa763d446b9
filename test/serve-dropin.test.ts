/**
 * `qris serve` as a drop-in for the BAYAR GG convert and info API: the documented field names and
 * JSON types, with bodies sent the way the official examples send them (Node 20 fetch + FormData,
 * PHP's http_build_query and curl multipart, python-requests multipart), against the BUILT server.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPng } from '../src/image/index.js';
import { toDynamic } from '../src/index.js';
import { createBayarClient, type RemoteError } from '../src/remote/index.js';
import type * as ServerApi from '../src/cli/serve/server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STATIC = readFileSync(join(ROOT, 'fixtures', 'demo', 'static-qris.txt'), 'utf8').trim();
const KEY = 'dropin-key';
type Running = Awaited<ReturnType<typeof ServerApi.startServer>>;
let s: Running;

beforeAll(async () => {
  const { startServer } = (await import(pathToFileURL(join(ROOT, 'dist', 'esm', 'cli', 'serve', 'server.js')).href)) as typeof ServerApi;
  s = await startServer({ port: 0, workers: 1, apiKey: KEY, log: () => undefined });
});
afterAll(() => s?.close(100));

const api = (p: string) => `${s.url}/api/${p}`;

/** PHP's http_build_query: RFC 1738 encoding, spaces as '+'. */
function httpBuildQuery(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(
      ([k, v]) =>
        `${encodeURIComponent(k)}=${encodeURIComponent(v)
          .replace(/%20/g, '+')
          .replace(/[!'()*~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())}`,
    )
    .join('&');
}

/** A multipart body built by hand, the way a given client lays it out. */
function multipart(
  boundary: string,
  parts: readonly { name: string; value: string | Uint8Array; filename?: string; type?: string }[],
): Uint8Array<ArrayBuffer> {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.type) head += `Content-Type: ${p.type}\r\n`;
    chunks.push(Buffer.from(head + '\r\n'), Buffer.from(p.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return new Uint8Array(Buffer.concat(chunks));
}

async function send(path: string, body: BodyInit, headers: Record<string, string> = {}) {
  const res = await fetch(api(path), { method: 'POST', headers: { 'x-api-key': KEY, ...headers }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The documented answers, with their JSON types. */
function expectInfo(b: Record<string, unknown>, amount: number, dynamic: boolean): void {
  expect(b).toMatchObject({ success: true, merchant_name: 'Warung Sayur Bu Sugeng', merchant_city: 'Kab. Demak', amount, is_dynamic: dynamic });
  expect(typeof b['amount']).toBe('number');
  expect(typeof b['is_dynamic']).toBe('boolean');
}
function expectConvert(b: Record<string, unknown>, amount: number): void {
  expect(b).toMatchObject({ success: true, qris: toDynamic(STATIC, { amount: String(amount) }), merchant_name: 'Warung Sayur Bu Sugeng', amount });
  expect(typeof b['amount']).toBe('number');
  expect(String(b['qr_image_url'])).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/qr\.png\?data=/);
}

describe('qris-info.php: a static code answers amount 0 (a number, never null) and is_dynamic false', () => {
  it('JSON (Node fetch), form-urlencoded (PHP http_build_query), multipart (Node FormData, python-requests, PHP curl)', async () => {
    expectInfo((await send('qris-info.php', JSON.stringify({ qris: STATIC }), { 'content-type': 'application/json' })).body, 0, false);
    expectInfo((await send('qris-info.php', httpBuildQuery({ qris: STATIC }), { 'content-type': 'application/x-www-form-urlencoded' })).body, 0, false);
    const form = new FormData();
    form.append('qris', STATIC);
    expectInfo((await send('qris-info.php', form)).body, 0, false);
    const py = randomBytes(16).toString('hex');
    expectInfo(
      (await send('qris-info.php', multipart(py, [{ name: 'qris', value: STATIC }]), { 'content-type': `multipart/form-data; boundary=${py}` })).body,
      0,
      false,
    );
    const php = '------------------------' + randomBytes(8).toString('hex');
    expectInfo(
      (await send('qris-info.php', multipart(php, [{ name: 'qris', value: STATIC }]), { 'content-type': `multipart/form-data; boundary=${php}` })).body,
      0,
      false,
    );
    const get = await fetch(`${api('qris-info.php')}?qris=${encodeURIComponent(STATIC)}`, { headers: { 'x-api-key': KEY } });
    expectInfo((await get.json()) as Record<string, unknown>, 0, false);
  });

  it('a dynamic code answers its amount as a number, and a Python-style `amount > 0` check holds', async () => {
    const r = await send('qris-info.php', JSON.stringify({ qris: toDynamic(STATIC, { amount: '50000' }) }), { 'content-type': 'application/json' });
    expectInfo(r.body, 50000, true);
  });
});

describe('qris-convert.php: { success, qris, qr_image_url, merchant_name, amount: 50000 }', () => {
  it('JSON with nominal as a number and as a string', async () => {
    expectConvert((await send('qris-convert.php', JSON.stringify({ qris: STATIC, nominal: 50000 }), { 'content-type': 'application/json' })).body, 50000);
    expectConvert((await send('qris-convert.php', JSON.stringify({ qris: STATIC, nominal: '50000' }), { 'content-type': 'application/json' })).body, 50000);
  });

  it('PHP http_build_query body and PHP curl multipart', async () => {
    expectConvert(
      (await send('qris-convert.php', httpBuildQuery({ qris: STATIC, nominal: '50000' }), { 'content-type': 'application/x-www-form-urlencoded' })).body,
      50000,
    );
    const b = '------------------------' + randomBytes(8).toString('hex');
    const body = multipart(b, [
      { name: 'qris', value: STATIC },
      { name: 'nominal', value: '50000' },
    ]);
    expectConvert((await send('qris-convert.php', body, { 'content-type': `multipart/form-data; boundary=${b}` })).body, 50000);
  });

  it('python-requests multipart with an image file (files={"image": (...)}), and Node FormData with a Blob', async () => {
    const png = toPng(STATIC);
    const b = randomBytes(16).toString('hex');
    const body = multipart(b, [
      { name: 'nominal', value: '50000' },
      { name: 'image', value: png, filename: 'qris.png', type: 'image/png' },
    ]);
    expectConvert((await send('qris-convert.php', body, { 'content-type': `multipart/form-data; boundary=${b}` })).body, 50000);
    const form = new FormData();
    form.append('nominal', '50000');
    form.append('image', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'qris.png');
    expectConvert((await send('qris-convert.php', form)).body, 50000);
  });
});

describe('errors: { success: false, error, code, message } like BAYAR GG, and their statuses', () => {
  it('400 for bad input, 401 for a bad key, in every body format: `error` is the sentence, `code` the stable code', async () => {
    const shapes = [
      await send('qris-convert.php', JSON.stringify({ qris: STATIC }), { 'content-type': 'application/json' }),
      await send('qris-convert.php', httpBuildQuery({ qris: STATIC.slice(0, -1) + '0', nominal: '5' }), {
        'content-type': 'application/x-www-form-urlencoded',
      }),
      await send('qris-info.php', multipart('abc123', [{ name: 'other', value: 'x' }]), { 'content-type': 'multipart/form-data; boundary=abc123' }),
    ];
    expect(shapes.map((r) => [r.status, r.body['code'], r.body['error']])).toEqual([
      [400, 'MISSING_NOMINAL', 'nominal (the amount) is required.'],
      [400, 'CRC_MISMATCH', expect.stringMatching(/^The CRC .* \(tag 63, offset \d+\)$/)],
      [400, 'MISSING_QRIS', 'qris (the payload) is required.'],
    ]);
    for (const r of shapes) {
      expect(r.body['success']).toBe(false);
      expect(r.body['message']).toBe(r.body['error']);
    }
    const unauthorized = await fetch(api('qris-info.php'), { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': '' }, body: '{}' });
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toEqual({
      success: false,
      error: 'A valid X-API-Key header is required.',
      code: 'UNAUTHORIZED',
      message: 'A valid X-API-Key header is required.',
    });
  });

  it('a nominal refusal names nominal, never a library option (decimals), and 50.000 says the dot is a decimal point', async () => {
    const json = { 'content-type': 'application/json' };
    const dots = await send('qris-convert.php', JSON.stringify({ qris: STATIC, nominal: '50.000' }), json);
    expect(dots).toEqual({
      status: 400,
      body: {
        success: false,
        code: 'BAD_AMOUNT',
        error: `The nominal "50.000" has a '.' that is read as a decimal point, not as a thousands separator: for Rp 50.000 write 50000 (digits only).`,
        message: `The nominal "50.000" has a '.' that is read as a decimal point, not as a thousands separator: for Rp 50.000 write 50000 (digits only).`,
      },
    });
    for (const nominal of ['25000.50', 25000.5, '1.500.000', '0', -5, '1e5', '25.000,50']) {
      const r = await send('qris-convert.php', JSON.stringify({ qris: STATIC, nominal }), json);
      expect([nominal, r.status, r.body['code']]).toEqual([nominal, 400, 'BAD_AMOUNT']);
      expect(String(r.body['error'])).toMatch(/^The nominal /);
      expect(String(r.body['error'])).not.toMatch(/decimals:|tag 54|amount \(/);
    }
  });

  it("a JSON body sent without Content-Type: application/json (curl -d '{...}') is read as JSON", async () => {
    const body = JSON.stringify({ qris: STATIC, nominal: 50000 });
    // curl -d labels its body application/x-www-form-urlencoded; some clients send text/plain.
    expectConvert((await send('qris-convert.php', body, { 'content-type': 'application/x-www-form-urlencoded' })).body, 50000);
    expectConvert((await send('qris-convert.php', '\r\n ' + body, { 'content-type': 'text/plain;charset=UTF-8' })).body, 50000);
    const broken = await send('qris-convert.php', '{"qris": ', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(broken.status).toBe(400);
    expect(broken.body['code']).toBe('INVALID_JSON');
    expect(broken.body['error']).toContain('send a JSON object with Content-Type: application/json');
    // A real form still reads as a form.
    expectConvert(
      (await send('qris-convert.php', httpBuildQuery({ qris: STATIC, nominal: '50000' }), { 'content-type': 'application/x-www-form-urlencoded' })).body,
      50000,
    );
  });

  it('createBayarClient against qris serve: RemoteError.code is the code, serverMessage the sentence', async () => {
    const client = createBayarClient({ apiKey: KEY, baseUrl: `${s.url}/api`, retries: 0 });
    const noQr = await client.convert({ image: new Uint8Array(toPng(STATIC)).slice(0, 0x40), nominal: 5 }).catch((e: unknown) => e);
    expect(noQr).toMatchObject({ name: 'RemoteError', kind: 'rejected', status: 400, code: expect.stringMatching(/^IMAGE_/) });
    expect((noQr as RemoteError).serverMessage).toMatch(/^The /);
    expect((noQr as RemoteError).message).toContain((noQr as RemoteError).serverMessage!.slice(0, 20));
    const wrongKey = await createBayarClient({ apiKey: 'wrong-key-123', baseUrl: `${s.url}/api`, retries: 0 })
      .info(STATIC)
      .catch((e: unknown) => e);
    expect(wrongKey).toMatchObject({ kind: 'auth', code: 'UNAUTHORIZED', serverMessage: 'A valid X-API-Key header is required.' });
  });
});
