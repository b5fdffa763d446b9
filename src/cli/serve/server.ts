/**
 * `qris serve`: an HTTP server that answers like the BAYAR GG QRIS API, offline. Payload work runs
 * on the event loop (microseconds); image decoding runs in a worker pool sized to the cores, PNG
 * drawing in a one-worker pool of its own. Every request's cost is bounded: bodies by a global
 * budget and an idle timeout, decodes by a bounded queue and a deadline, image_url fetches by the
 * address guard, a concurrency cap and short timeouts; above a budget the answer is 503.
 * Bodies must also keep up a minimum rate, and one client address has a share of the body slots.
 */
import { createServer, STATUS_CODES, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LookupHook } from '../../image/address-guard.js';
import { readInput, type FetchOptions, type NetHooks } from '../../image/input.js';
import { NODE_NET } from '../../image/node-fetch.js';
import { cliDir } from '../paths.js';
import { BodyBudget, Limiter, type BodyStats } from './budget.js';
import { HttpError, toErrorResponse } from './http-error.js';
import { WorkerPool, type DecodeTask } from './pool.js';
import { createHandler, type HandlerOptions, type RequestLogEntry } from './routes.js';

export interface ServeOptions {
  /** 0 picks a free port. @default 8080 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  readonly apiKey?: string;
  /** @default false */
  readonly allowImageUrl?: boolean;
  /**
   * Resident set of the server past which the image workers that are busy are stopped and replaced
   * (their requests get a 413): sharp and WebAssembly decoders allocate native memory that the
   * workers' V8 limits do not count.
   * @default 1610612736 (1.5 GiB)
   */
  readonly maxRssBytes?: number;
  /** Largest request body in bytes. @default 10485760 (10 MiB) */
  readonly maxBody?: number;
  /**
   * Image decoding threads. One core is left to the event loop (and the qr.png thread): with every
   * core decoding, a hostile mix on 2 cores pushed normal p99 from ~80 ms to ~370 ms.
   * @default max(1, os.availableParallelism() - 1)
   */
  readonly workers?: number;
  /**
   * Largest image decoded, in pixels (refused from its header, before decoding). Lower than the
   * library's default: a server decodes what strangers send. @default 16000000 (a 16 MP photo)
   */
  readonly maxPixels?: number;
  /** Bytes of request bodies held at once, over all requests (503 above). @default 67108864 (64 MiB) */
  readonly maxBufferedBytes?: number;
  /** Large (over 64 KiB, or chunked past it) request bodies read at once (503 above). @default 32 */
  readonly maxBodies?: number;
  /** Small request bodies (up to 64 KiB) read at once, a lane of their own (503 above). @default 256 */
  readonly maxSmallBodies?: number;
  /**
   * Request bodies read at once from one client address, an IPv6 /64 counting as one (429 above).
   * Loopback clients are not capped unless `capLoopback` (a proxy on this host speaks for everyone).
   * @default 16
   */
  readonly maxBodiesPerAddress?: number;
  /** Apply `maxBodiesPerAddress` to loopback clients too (tests; a host without a proxy). @default false */
  readonly capLoopback?: boolean;
  /**
   * Slowest body accepted, in bytes per second: a body must be whole by `bodyGraceMs` plus its size
   * at this rate (408 after), and when a budget is full the body furthest behind it is cut to make
   * room. @default 1024
   */
  readonly minBodyRate?: number;
  /** Time every body gets before `minBodyRate` counts. @default 5000 */
  readonly bodyGraceMs?: number;
  /** Longest pause inside a request body before a 408. @default 10000 */
  readonly bodyIdleMs?: number;
  /**
   * Largest JSON or form body parsed as it comes; a larger one must be a flat object (at most 32
   * fields, e.g. one base64 image), else 413. @default 65536
   */
  readonly maxJsonBytes?: number;
  /** Images that may wait for a decoding thread (503 above). @default 4 * workers */
  readonly maxQueue?: number;
  /** A decode running longer is stopped (its worker replaced) and answered 422. @default 15000 */
  readonly decodeTimeoutMs?: number;
  /** image_url downloads at once; as many more may wait (503 above). @default 4 */
  readonly maxFetches?: number;
  /** image_url: connect and whole-download timeouts. @default { connectTimeoutMs: 2000, timeoutMs: 5000, maxRedirects: 3 } */
  readonly fetch?: FetchOptions;
  /** Origin put in qr_image_url, e.g. `https://qris.example.com`. @default the address a request came in on */
  readonly publicUrl?: string;
  /**
   * Reads the payload from an image (bytes or a URL, already checked against `allowImageUrl`). Throw
   * `QrisError`s for bad images (answered with 400) — anything else is answered with a 500.
   * @default decodeImage from 'qris-codec/image' in a pool of `workers` threads
   */
  readonly decode?: (task: DecodeTask) => Promise<string>;
  /**
   * Serve https with this certificate and key (PEM). A browser gives the cashier page its service
   * worker, camera and clipboard only in a secure context: https, or localhost itself. @default none (http)
   */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** Where unexpected errors are logged. @default stderr */
  readonly log?: (line: string) => void;
  /** Called once per answered request (method, path, status, ms). @default none */
  readonly requestLog?: (entry: RequestLogEntry) => void;
}

export interface RunningServer {
  readonly server: Server;
  /** `http://host:port` (or `https://` with `tls`) with the real port. */
  readonly url: string;
  readonly port: number;
  readonly pool: WorkerPool;
  /** The one-worker pool that draws qr.png. */
  readonly renderPool: WorkerPool;
  /** The request-body budget: bodies in flight (`usage`) and what was cut or refused (`stats`). */
  readonly bodies: { readonly usage: BodyBudget['usage']; readonly stats: Readonly<BodyStats> };
  /** Stops accepting, lets requests in flight finish (up to `graceMs`), then stops the workers. */
  close(graceMs?: number): Promise<void>;
}

export const DEFAULT_MAX_BODY = 10 * 1024 * 1024;
export const DEFAULT_SERVE_MAX_PIXELS = 16_000_000;
/** Resident set past which the busy image workers are replaced (native memory V8 does not count). */
export const DEFAULT_MAX_RSS = 1536 * 2 ** 20;
export const DEFAULT_MIN_BODY_RATE = 1024;
export const DEFAULT_BODY_GRACE_MS = 5_000;
export const DEFAULT_MAX_BODIES_PER_ADDRESS = 16;
export const DEFAULT_MAX_JSON_BYTES = 64 * 1024;

/**
 * A lookup under which a name that does not resolve is refused like one that resolves to a private
 * address, so a caller cannot tell the two apart (an internal name's existence is a network fact).
 */
function unresolvedIsRefused(lookup: LookupHook): LookupHook {
  return async (hostname) => {
    try {
      return await lookup(hostname);
    } catch {
      return [];
    }
  };
}

export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const maxBody = options.maxBody ?? DEFAULT_MAX_BODY;
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const script = pathToFileURL(join(await cliDir(), 'serve', 'worker.js'));
  const workers = options.workers ?? Math.max(1, availableParallelism() - 1);
  const pool = new WorkerPool(script, {
    size: workers,
    workerData: { maxBytes: maxBody, maxPixels: options.maxPixels ?? DEFAULT_SERVE_MAX_PIXELS },
    maxQueue: options.maxQueue ?? 4 * workers,
    taskTimeoutMs: options.decodeTimeoutMs ?? 15_000,
    maxRssBytes: options.maxRssBytes ?? DEFAULT_MAX_RSS,
  });
  const renderPool = new WorkerPool(script, { size: 1, maxQueue: 8, taskTimeoutMs: 5_000 });
  const fetches = new Limiter('image_url downloads', options.maxFetches ?? 4, options.maxFetches ?? 4);
  const given: FetchOptions = { connectTimeoutMs: 2_000, timeoutMs: 5_000, maxRedirects: 3, ...options.fetch };
  const hide = given.allowPrivateAddresses !== true;
  const fetchOptions: FetchOptions = hide && given.lookup ? { ...given, lookup: unresolvedIsRefused(given.lookup) } : given;
  const net: NetHooks = hide ? { ...NODE_NET, lookup: unresolvedIsRefused(NODE_NET.lookup) } : NODE_NET;
  const budget = new BodyBudget({
    maxBytes: options.maxBufferedBytes ?? 64 * 1024 * 1024,
    maxBodies: options.maxBodies ?? 32,
    maxSmallBodies: options.maxSmallBodies ?? 256,
    maxPerAddress: options.maxBodiesPerAddress ?? DEFAULT_MAX_BODIES_PER_ADDRESS,
    capLoopback: options.capLoopback ?? false,
    minRate: options.minBodyRate ?? DEFAULT_MIN_BODY_RATE,
  });
  const handlerOptions: HandlerOptions = {
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    allowImageUrl: options.allowImageUrl ?? false,
    body: {
      maxBytes: maxBody,
      budget,
      idleMs: options.bodyIdleMs ?? 10_000,
      graceMs: options.bodyGraceMs ?? DEFAULT_BODY_GRACE_MS,
      maxJsonBytes: options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES,
    },
    decode: options.decode ?? ((task: DecodeTask) => pool.decode(task)),
    // Reached only when --allow-image-url is on (the route checks it first).
    fetchImage: (url) => fetches.run(() => readInput(url, maxBody, fetchOptions, net, true)),
    renderPng: pngCache((payload, size) => renderPool.render({ render: payload, size })),
    ...(options.publicUrl !== undefined ? { publicUrl: options.publicUrl.replace(/\/+$/, '') } : {}),
    log,
    ...(options.requestLog ? { requestLog: options.requestLog } : {}),
  };
  const timeouts = { requestTimeout: 60_000, headersTimeout: 20_000, keepAliveTimeout: 5_000 };
  const handler = createHandler(handlerOptions);
  const server: Server = options.tls
    ? createTlsServer({ ...timeouts, cert: options.tls.cert, key: options.tls.key }, handler)
    : createServer(timeouts, handler);
  server.on('clientError', answerClientError);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (options.port ?? 8080);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    server,
    url: `${options.tls ? 'https' : 'http'}://${shownHost}:${port}`,
    port,
    pool,
    renderPool,
    bodies: {
      get usage() {
        return budget.usage;
      },
      stats: budget.stats,
    },
    close(graceMs = 5_000) {
      return (closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        await closed;
        clearTimeout(timer);
        await Promise.all([pool.close(), renderPool.close()]);
      })());
    },
  };
}

/** Node's parser codes for a request it could not read, and what to answer (never logged: bad input). */
const PARSE_ERRORS: Readonly<Record<string, readonly [number, string, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'HEADERS_TOO_LARGE', 'The request headers are larger than this server accepts.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', 'The request was not received in time.'],
};

/**
 * A request Node's HTTP parser refused (a broken request line, a bad header, headers too slow):
 * a JSON error like every other answer, then the connection is closed. Node's default writes a bare
 * 400; nothing is logged, since this is the client's input, not a fault of the server.
 */
function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  // As Node's own handler: only when no answer has started on this socket.
  const current = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || current?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, code, message] = PARSE_ERRORS[err.code ?? ''] ?? [400, 'BAD_REQUEST', 'The request could not be read as HTTP/1.1.'];
  const text = JSON.stringify(toErrorResponse(new HttpError(status, code, message)).body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
  );
}

/** Rendered PNGs kept for repeated qr.png requests (an <img> reloads; a flood repeats itself). */
const PNG_CACHE_ENTRIES = 64;

/** Wraps a renderer with a small LRU cache keyed by size and payload (each entry a few KB). */
function pngCache(
  render: (payload: string, size: number | undefined) => Promise<Uint8Array>,
): (payload: string, size: number | undefined) => Promise<Uint8Array> {
  const cache = new Map<string, Uint8Array>();
  return async (payload, size) => {
    const key = `${size ?? ''}|${payload}`;
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const png = await render(payload, size);
    cache.set(key, png);
    if (cache.size > PNG_CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    return png;
  };
}
