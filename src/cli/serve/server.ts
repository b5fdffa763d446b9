/**
 * `qris serve`: an HTTP server that answers like the BAYAR GG QRIS API, offline. Payload work runs
 * on the event loop (microseconds); image decoding runs in a worker pool sized to the cores, PNG
 * drawing in a one-worker pool of its own. Every request's cost is bounded: bodies by a global
 * budget and an idle timeout, decodes by a bounded queue and a deadline, image_url fetches by the
 * address guard, a concurrency cap and short timeouts; above a budget the answer is 503.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readInput, type FetchOptions } from '../../image/input.js';
import { NODE_NET } from '../../image/node-fetch.js';
import { cliDir } from '../paths.js';
import { BodyBudget, Limiter } from './budget.js';
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
  /** Request bodies read at once (503 above). @default 32 */
  readonly maxBodies?: number;
  /** Longest pause inside a request body before a 408. @default 10000 */
  readonly bodyIdleMs?: number;
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
  /** Stops accepting, lets requests in flight finish (up to `graceMs`), then stops the workers. */
  close(graceMs?: number): Promise<void>;
}

export const DEFAULT_MAX_BODY = 10 * 1024 * 1024;
export const DEFAULT_SERVE_MAX_PIXELS = 16_000_000;
/** Resident set past which the busy image workers are replaced (native memory V8 does not count). */
export const DEFAULT_MAX_RSS = 1536 * 2 ** 20;

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
  const fetchOptions: FetchOptions = { connectTimeoutMs: 2_000, timeoutMs: 5_000, maxRedirects: 3, ...options.fetch };
  const handlerOptions: HandlerOptions = {
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    allowImageUrl: options.allowImageUrl ?? false,
    body: {
      maxBytes: maxBody,
      budget: new BodyBudget(options.maxBufferedBytes ?? 64 * 1024 * 1024, options.maxBodies ?? 32),
      idleMs: options.bodyIdleMs ?? 10_000,
    },
    decode: options.decode ?? ((task: DecodeTask) => pool.decode(task)),
    // Reached only when --allow-image-url is on (the route checks it first).
    fetchImage: (url) => fetches.run(() => readInput(url, maxBody, fetchOptions, NODE_NET, true)),
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
