// decodeImage on URLs and text inputs, against a real HTTP server on 127.0.0.1 started here (no
// other network): redirects (followed up to the limit), timeout, size cap (declared and streamed),
// HTTP errors, schemes other than http(s) refused.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QrisError } from '../src/errors.js';
import { decodeImage, toPng } from '../src/image/index.js';

const P = '00020101021126570011ID.DANA.WWW011893600915302259148102090225914810303UMI51440014ID.CO.QRIS.WWW0215ID10200176114730303UMI5204581253033605802ID5922Warung Sayur Bu Sugeng6010Kab. Demak610559567630458C7';
const PNG = Buffer.from(toPng(P));

let server: Server;
let base = '';
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    if (path === '/qr.png') {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
      res.end(PNG);
    } else if (path.startsWith('/redirect/')) {
      // /redirect/N → N more hops, then the image.
      const n = Number(path.slice('/redirect/'.length));
      res.writeHead(302, { location: n > 1 ? `/redirect/${n - 1}` : '/qr.png' });
      res.end();
    } else if (path === '/to-file') {
      res.writeHead(301, { location: 'file:///etc/passwd' });
      res.end();
    } else if (path === '/no-location') {
      res.writeHead(302);
      res.end();
    } else if (path === '/slow') {
      // Headers never come.
      setTimeout(() => res.destroyed || res.end(), 5000).unref();
    } else if (path === '/slow-body') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(PNG.subarray(0, 100));
      setTimeout(() => res.destroyed || res.end(), 5000).unref();
    } else if (path === '/big-declared') {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': 50_000_000 });
      res.write(PNG.subarray(0, 100));
      setTimeout(() => res.destroyed || res.end(), 5000).unref();
    } else if (path === '/big-streamed') {
      // Chunked, no length: the cap must stop the download while streaming.
      res.writeHead(200, { 'content-type': 'image/png' });
      const chunk = Buffer.alloc(64 * 1024, 1);
      let sent = 0;
      const pump = (): void => {
        if (res.destroyed || sent > 20_000_000) return void res.end();
        sent += chunk.length;
        if (res.write(chunk)) setImmediate(pump);
        else res.once('drain', pump);
      };
      pump();
    } else if (path === '/missing') {
      res.writeHead(404);
      res.end('not here');
    } else if (path === '/text') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>hello</html>');
    } else {
      res.writeHead(500);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function failure(p: Promise<unknown>): Promise<QrisError> {
  const e = await p.then(
    () => new Error('expected a failure'),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(QrisError);
  return e as QrisError;
}

describe('URL input', () => {
  it('fetches http URLs given as a string or a URL object', async () => {
    expect((await decodeImage(`${base}/qr.png`)).payload).toBe(P);
    expect((await decodeImage(new URL(`${base}/qr.png`), { engine: 'jimp' })).payload).toBe(P);
  });

  it('follows redirects up to maxRedirects (default 3), then fails', async () => {
    expect((await decodeImage(`${base}/redirect/3`)).payload).toBe(P);
    const e = await failure(decodeImage(`${base}/redirect/4`));
    expect(e.code).toBe('FETCH_FAILED');
    expect(e.message).toMatch(/redirects/);
    expect((await failure(decodeImage(`${base}/redirect/1`, { fetch: { maxRedirects: 0 } }))).code).toBe('FETCH_FAILED');
    expect((await failure(decodeImage(`${base}/no-location`))).code).toBe('FETCH_FAILED');
  });

  it('refuses schemes other than http and https, also as a redirect target', async () => {
    const before = hits;
    for (const u of ['file:///etc/passwd', 'ftp://127.0.0.1/qr.png', 'javascript:alert(1)']) {
      const e = await failure(decodeImage(u));
      expect(e.code).toBe('FETCH_FAILED');
    }
    expect(hits).toBe(before);
    expect((await failure(decodeImage(`${base}/to-file`))).actual).toBe('file:');
  });

  it('times out waiting for headers and while reading the body', async () => {
    for (const path of ['/slow', '/slow-body']) {
      const t = performance.now();
      const e = await failure(decodeImage(`${base}${path}`, { fetch: { timeoutMs: 300 } }));
      expect(e.code).toBe('FETCH_FAILED');
      expect(e.actual).toBe('timeout');
      expect(performance.now() - t).toBeLessThan(3000);
    }
  });

  it('caps the size: a declared Content-Length over maxBytes, and a stream that runs past it', async () => {
    expect((await failure(decodeImage(`${base}/big-declared`, { maxBytes: 1_000_000 }))).code).toBe('IMAGE_TOO_LARGE');
    const t = performance.now();
    expect((await failure(decodeImage(`${base}/big-streamed`, { maxBytes: 1_000_000 }))).code).toBe('IMAGE_TOO_LARGE');
    expect(performance.now() - t).toBeLessThan(3000);
  });

  it('HTTP errors, a page that is not an image, an unreachable port', async () => {
    const e = await failure(decodeImage(`${base}/missing`));
    expect([e.code, e.actual]).toEqual(['FETCH_FAILED', '404']);
    expect((await failure(decodeImage(`${base}/text`))).code).toBe('IMAGE_UNSUPPORTED_FORMAT');
    expect((await failure(decodeImage('http://127.0.0.1:1/qr.png', { fetch: { timeoutMs: 2000 } }))).code).toBe('FETCH_FAILED');
  });

  it('uses an injected fetch and sends extra headers', async () => {
    let seen: Headers | undefined;
    const fetchImpl: typeof fetch = async (input, init) => {
      seen = new Headers(init?.headers);
      return fetch(input, init);
    };
    expect((await decodeImage(`${base}/qr.png`, { fetch: { fetch: fetchImpl, headers: { 'x-test': '1' } } })).payload).toBe(P);
    expect(seen?.get('x-test')).toBe('1');
    expect(seen?.get('accept')).toBe('image/*');
  });
});

describe('text and byte inputs', () => {
  it('base64, a data URL, a Buffer, an ArrayBuffer and a typed-array view all decode', async () => {
    const b64 = PNG.toString('base64');
    expect((await decodeImage(b64)).payload).toBe(P);
    expect((await decodeImage(b64.replace(/(.{76})/g, '$1\n'))).payload).toBe(P);
    expect((await decodeImage(`data:image/png;base64,${b64}`)).payload).toBe(P);
    expect((await decodeImage(PNG)).payload).toBe(P);
    const ab = PNG.buffer.slice(PNG.byteOffset, PNG.byteOffset + PNG.byteLength);
    expect((await decodeImage(ab)).payload).toBe(P);
    const padded = new Uint8Array(PNG.length + 10);
    padded.set(PNG, 5);
    expect((await decodeImage(padded.subarray(5, 5 + PNG.length))).payload).toBe(P);
  });

  it('an oversized base64 string is refused before decoding it', async () => {
    const e = await failure(decodeImage('A'.repeat(4_000_000), { maxBytes: 1000 }));
    expect(e.code).toBe('IMAGE_TOO_LARGE');
  });
});
