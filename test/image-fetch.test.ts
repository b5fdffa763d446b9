// decodeImage on URLs and text inputs, against a real HTTP server on 127.0.0.1 started here (no
// other network): redirects (followed up to the limit), timeout, size cap (declared and streamed),
// HTTP errors, schemes other than http(s) refused.
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QrisError } from '../src/errors.js';
import { decodeImage as decodeImageAsGiven, toPng } from '../src/image/index.js';
import type { ImageInput } from '../src/image/input.js';

/** URL input is opt-in (allowUrl); every test here but the opt-in ones fetches on purpose. */
const decodeImage = (input: ImageInput, o: Parameters<typeof decodeImageAsGiven>[1] = {}) => decodeImageAsGiven(input, { allowUrl: true, ...o });

const P =
  '00020101021126570011ID.DANA.WWW011893600915302259148102090225914810303UMI51440014ID.CO.QRIS.WWW0215ID10200176114730303UMI5204581253033605802ID5922Warung Sayur Bu Sugeng6010Kab. Demak610559567630458C7';
const PNG = Buffer.from(toPng(P));
/** The test server is on 127.0.0.1, which the address guard refuses unless allowed. */
const LOCAL = { fetch: { allowPrivateAddresses: true } } as const;

let server: Server;
let base = '';
let hits = 0;
let lastHost: string | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    lastHost = req.headers.host;
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

describe('URL input is opt-in (allowUrl)', () => {
  it('a URL string or URL object without allowUrl: IMAGE_URL_NOT_ALLOWED, and no request reaches the server', async () => {
    const before = hits;
    for (const input of [`${base}/qr.png`, new URL(`${base}/qr.png`), `  HTTPS://127.0.0.1:1/x.png`]) {
      const e = await failure(decodeImageAsGiven(input, LOCAL));
      expect(e.code).toBe('IMAGE_URL_NOT_ALLOWED');
      expect(e.message).toContain('allowUrl: true');
    }
    // The guard options alone (allowPrivateAddresses, a custom fetch) do not turn URL input on.
    let fetched = 0;
    const fetchImpl = (() => {
      fetched++;
      return Promise.reject(new Error('must not be called'));
    }) as typeof fetch;
    expect((await failure(decodeImageAsGiven(`${base}/qr.png`, { fetch: { allowPrivateAddresses: true, fetch: fetchImpl } }))).code).toBe(
      'IMAGE_URL_NOT_ALLOWED',
    );
    expect(fetched).toBe(0);
    expect(hits).toBe(before);
    // With it: fetched, one request.
    expect((await decodeImageAsGiven(`${base}/qr.png`, { allowUrl: true, ...LOCAL })).payload).toBe(P);
    expect(hits).toBe(before + 1);
  });

  it('a bad allowUrl is BAD_OPTION', async () => {
    expect((await failure(decodeImageAsGiven(`${base}/qr.png`, { allowUrl: 'yes' as unknown as boolean }))).code).toBe('BAD_OPTION');
  });
});

describe('URL input', () => {
  it('fetches http URLs given as a string or a URL object', async () => {
    expect((await decodeImage(`${base}/qr.png`, LOCAL)).payload).toBe(P);
    expect((await decodeImage(new URL(`${base}/qr.png`), { engine: 'jimp', ...LOCAL })).payload).toBe(P);
  });

  it('follows redirects up to maxRedirects (default 3), then fails', async () => {
    expect((await decodeImage(`${base}/redirect/3`, LOCAL)).payload).toBe(P);
    const e = await failure(decodeImage(`${base}/redirect/4`, LOCAL));
    expect(e.code).toBe('FETCH_FAILED');
    expect(e.message).toMatch(/redirects/);
    expect((await failure(decodeImage(`${base}/redirect/1`, { fetch: { maxRedirects: 0, allowPrivateAddresses: true } }))).code).toBe('FETCH_FAILED');
    expect((await failure(decodeImage(`${base}/no-location`, LOCAL))).code).toBe('FETCH_FAILED');
  });

  it('refuses schemes other than http and https, also as a redirect target', async () => {
    const before = hits;
    for (const u of ['file:///etc/passwd', 'ftp://127.0.0.1/qr.png', 'javascript:alert(1)']) {
      const e = await failure(decodeImage(u));
      expect(e.code).toBe('FETCH_FAILED');
    }
    expect(hits).toBe(before);
    expect((await failure(decodeImage(`${base}/to-file`, LOCAL))).actual).toBe('file:');
  });

  it('times out waiting for headers and while reading the body', async () => {
    for (const path of ['/slow', '/slow-body']) {
      const t = performance.now();
      const e = await failure(decodeImage(`${base}${path}`, { fetch: { timeoutMs: 300, allowPrivateAddresses: true } }));
      expect(e.code).toBe('FETCH_FAILED');
      expect(e.actual).toBe('timeout');
      expect(performance.now() - t).toBeLessThan(3000);
    }
  });

  it('caps the size: a declared Content-Length over maxBytes, and a stream that runs past it', async () => {
    expect((await failure(decodeImage(`${base}/big-declared`, { maxBytes: 1_000_000, ...LOCAL }))).code).toBe('IMAGE_TOO_LARGE');
    const t = performance.now();
    expect((await failure(decodeImage(`${base}/big-streamed`, { maxBytes: 1_000_000, ...LOCAL }))).code).toBe('IMAGE_TOO_LARGE');
    expect(performance.now() - t).toBeLessThan(3000);
  });

  it('HTTP errors, a page that is not an image, an unreachable port', async () => {
    const e = await failure(decodeImage(`${base}/missing`, LOCAL));
    expect(e.code).toBe('FETCH_FAILED');
    expect(e.message).not.toMatch(/404/);
    expect((await failure(decodeImage(`${base}/text`, LOCAL))).code).toBe('IMAGE_UNSUPPORTED_FORMAT');
    expect((await failure(decodeImage('http://127.0.0.1:1/qr.png', { fetch: { timeoutMs: 2000, allowPrivateAddresses: true } }))).code).toBe('FETCH_FAILED');
  });

  it('uses an injected fetch and sends extra headers', async () => {
    let seen: Headers | undefined;
    const fetchImpl: typeof fetch = async (input, init) => {
      seen = new Headers(init?.headers);
      return fetch(input, init);
    };
    expect((await decodeImage(`${base}/qr.png`, { fetch: { fetch: fetchImpl, headers: { 'x-test': '1' }, allowPrivateAddresses: true } })).payload).toBe(P);
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

// ---- The address guard (SSRF) --------------------------------------------------------------------
// Refusals use an injected connect/fetch/lookup that record calls and never touch the network: a
// refused target must fail before any connection. Only loopback is ever really connected to.

/** Every spelling of a non-public target the guard must refuse, with no lookup needed. */
const LITERAL_TARGETS = [
  'http://127.0.0.1/',
  'http://127.1/',
  'http://2130706433/',
  'http://0x7f000001/',
  'http://0177.0.0.1/',
  'http://0x7f.0.0.1/',
  'http://127.0.0.1./',
  'http://127.255.255.254:8080/x.png',
  'http://\uff11\uff12\uff17.0.0.1/',
  'http://0/',
  'http://0.0.0.0/',
  'http://[::]/',
  'http://[::1]/',
  'http://[0:0:0:0:0:0:0:1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:7f00:1]/',
  'http://[::127.0.0.1]/',
  'http://[::ffff:169.254.169.254]/',
  'http://[64:ff9b::a9fe:a9fe]/',
  'http://[2002:a9fe:a9fe::]/',
  'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/',
  'http://[fd00::1]/',
  'http://[fc00::1]/',
  'http://[fe80::1]/',
  'http://[fec0::1]/',
  'http://[ff02::1]/',
  'http://169.254.169.254/latest/meta-data/',
  'http://2852039166/',
  'http://10.0.0.1/',
  'http://10.255.255.255/',
  'http://172.16.0.1/',
  'http://172.31.255.255/',
  'http://192.168.0.1/',
  'http://100.64.0.1/',
  'http://100.127.255.255/',
  'http://192.0.0.8/',
  'http://198.18.0.1/',
  'http://224.0.0.1/',
  'http://239.255.255.250/',
  'http://240.0.0.1/',
  'http://255.255.255.255/',
  'https://localhost/',
  'http://LOCALHOST./',
  'http://api.localhost:3000/',
];

/** Host names and what the injected resolver says they resolve to. */
const NAMES: Readonly<Record<string, readonly string[]>> = {
  'metadata.test': ['169.254.169.254'],
  'intranet.test': ['10.1.2.3'],
  'cgnat.test': ['100.100.100.100'],
  'ula.test': ['fd12:3456::1'],
  'mapped.test': ['::ffff:192.168.1.1'],
  // One public address is not enough: every address must pass (the order is the attacker's).
  'mixed.test': ['93.184.216.34', '127.0.0.1'],
};

function recorder() {
  const calls = { connect: 0, fetch: 0, lookup: [] as string[] };
  const options = {
    lookup: async (host: string) => {
      calls.lookup.push(host);
      const list = NAMES[host];
      if (!list) throw new Error(`unexpected lookup ${host}`);
      return list.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) }));
    },
    connect: async () => {
      calls.connect++;
      throw new Error('the guard let a refused target through');
    },
    fetch: (async () => {
      calls.fetch++;
      throw new Error('the guard let a refused target through');
    }) as typeof fetch,
  };
  return { calls, options };
}

describe('address guard: refuses non-public targets before any connection', () => {
  it.each(LITERAL_TARGETS)('%s is refused (FETCH_REFUSED), nothing connected', async (target) => {
    const { calls, options } = recorder();
    const e = await failure(decodeImage(target, { fetch: options }));
    expect(e.code).toBe('FETCH_REFUSED');
    expect(calls).toEqual({ connect: 0, fetch: 0, lookup: [] });
  });

  it.each(Object.keys(NAMES))('a name resolving to a refused address (%s) is refused after one lookup', async (host) => {
    const { calls, options } = recorder();
    const e = await failure(decodeImage(`http://${host}/qr.png`, { fetch: options }));
    expect(e.code).toBe('FETCH_REFUSED');
    expect(calls).toEqual({ connect: 0, fetch: 0, lookup: [host] });
  });

  it('a custom fetch gets the same checks (it is never called for a refused host)', async () => {
    const { calls, options } = recorder();
    const e = await failure(decodeImage('http://[::ffff:a9fe:a9fe]/', { fetch: { fetch: options.fetch, lookup: options.lookup } }));
    expect(e.code).toBe('FETCH_REFUSED');
    expect(calls.fetch).toBe(0);
  });

  it('re-checks every redirect target: a public host redirecting to metadata is refused before the second hop', async () => {
    const seen: string[] = [];
    const e = await failure(
      decodeImage('http://public.test/a.png', {
        fetch: {
          lookup: async () => [{ address: '93.184.216.34', family: 4 }],
          // In memory: the "public" host answers a redirect; no traffic leaves the process.
          connect: async (r) => {
            seen.push(`${r.url.href} @ ${r.address.address}`);
            return new Response(null, { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } });
          },
        },
      }),
    );
    expect(e.code).toBe('FETCH_REFUSED');
    expect(seen).toEqual(['http://public.test/a.png @ 93.184.216.34']);
  });

  it('guard options of the wrong type are BAD_OPTION, never a silently open guard', async () => {
    const before = hits;
    for (const fetchOptions of [{ allowPrivateAddresses: 'yes' }, { allowPrivateAddresses: 1 }, { lookup: 'dns' }, { connect: {} }, { connectTimeoutMs: 0 }]) {
      const e = await failure(decodeImage(`${base}/qr.png`, { fetch: fetchOptions as never }));
      expect(e.code).toBe('BAD_OPTION');
    }
    expect(hits).toBe(before);
  });

  it('real loopback is refused by default and reached only with allowPrivateAddresses', async () => {
    const before = hits;
    expect((await failure(decodeImage(`${base}/qr.png`))).code).toBe('FETCH_REFUSED');
    expect((await failure(decodeImage(`${base.replace('127.0.0.1', 'localhost')}/qr.png`))).code).toBe('FETCH_REFUSED');
    expect(hits).toBe(before);
    expect((await decodeImage(`${base}/qr.png`, LOCAL)).payload).toBe(P);
    expect(hits).toBe(before + 1);
  });
});

describe('address guard: the connection is pinned to the checked address', () => {
  it('connects to the address the lookup gave, with the URL host as Host (a second resolution could not swap it)', async () => {
    const port = new URL(base).port;
    const lookups: string[] = [];
    // Only ever loopback: the name itself does not resolve anywhere, so reaching the server at all
    // proves the socket went to the checked address rather than to a resolution of its own.
    const lookup = async (host: string) => {
      lookups.push(host);
      return [{ address: '127.0.0.1', family: 4 as const }];
    };
    const r = await decodeImage(`http://images.rebind.test:${port}/redirect/2`, { fetch: { lookup, allowPrivateAddresses: true, maxRedirects: 3 } });
    expect(r.payload).toBe(P);
    expect(lastHost).toBe(`images.rebind.test:${port}`);
    // One lookup per hop: each hop resolved, checked and pinned once (no resolution of its own).
    expect(lookups).toEqual(['images.rebind.test', 'images.rebind.test', 'images.rebind.test']);
  });

  it('...and a rebinding answer on a later hop is refused, not connected to', async () => {
    const before = hits;
    const answers = ['93.184.216.34', '169.254.169.254'];
    const pinned: string[] = [];
    const e = await failure(
      decodeImage('http://rebind.test/redirect/1', {
        fetch: {
          lookup: async () => [{ address: answers.shift() ?? '169.254.169.254', family: 4 }],
          // The "public" address is played by the loopback server: no traffic leaves the machine.
          connect: async (r) => {
            pinned.push(r.address.address);
            return fetch(`${base}${r.url.pathname}`, { redirect: 'manual', signal: r.signal });
          },
        },
      }),
    );
    expect(e.code).toBe('FETCH_REFUSED');
    expect(pinned).toEqual(['93.184.216.34']);
    expect(hits).toBe(before + 1);
  });
});

describe('fetch failures do not tell an open port from a closed one', () => {
  let raw: NetServer;
  let rawPort = 0;
  beforeAll(async () => {
    // Speaks something that is not HTTP, then hangs up.
    raw = createNetServer((socket) => {
      socket.on('error', () => undefined);
      socket.end('SSH-2.0-OpenSSH_9.6 secret-banner\r\n');
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    rawPort = (raw.address() as AddressInfo).port;
  });
  afterAll(() => {
    raw.close();
  });

  it('a closed port, a non-HTTP service, a 404 and a 500 give the same code and message (host aside)', async () => {
    const targets = [`http://127.0.0.1:1/x.png`, `http://127.0.0.1:${rawPort}/x.png`, `${base}/missing`, `${base}/error`];
    const seen = new Set<string>();
    for (const t of targets) {
      const e = await failure(decodeImage(t, { fetch: { allowPrivateAddresses: true, timeoutMs: 3000 } }));
      expect(e.code).toBe('FETCH_FAILED');
      expect(e.actual).toBeUndefined();
      const message = e.message.replace(/127\.0\.0\.1:\d+/, 'HOST');
      expect(message).not.toMatch(/404|500|secret|SSH|ECONN|refused/i);
      seen.add(message);
    }
    expect([...seen]).toEqual(['Could not fetch an image from "HOST".']);
  });
});
