/**
 * `qris serve`: an HTTP server that answers like the BAYAR GG QRIS API, offline. Payload work runs
 * on the event loop (microseconds); image decoding runs in a worker pool sized to the cores.
 */
import { createServer, type Server } from 'node:http';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cliDir } from '../paths.js';
import { renderPng } from '../render.js';
import { WorkerPool, type DecodeTask } from './pool.js';
import { createHandler, type HandlerOptions } from './routes.js';

export interface ServeOptions {
  /** 0 picks a free port. @default 8080 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  readonly apiKey?: string;
  /** @default false */
  readonly allowImageUrl?: boolean;
  /** Largest request body in bytes. @default 10485760 (10 MiB) */
  readonly maxBody?: number;
  /** Image decoding threads. @default os.availableParallelism() */
  readonly workers?: number;
  /**
   * Reads the payload from an image (bytes or a URL, already checked against `allowImageUrl`). Throw
   * `QrisError`s for bad images (answered with 400) — anything else is answered with a 500.
   * @default decodeImage from 'qris-codec/image' in a pool of `workers` threads
   */
  readonly decode?: (task: DecodeTask) => Promise<string>;
  /** Where unexpected errors are logged. @default stderr */
  readonly log?: (line: string) => void;
}

export interface RunningServer {
  readonly server: Server;
  /** `http://host:port` with the real port. */
  readonly url: string;
  readonly port: number;
  readonly pool: WorkerPool;
  /** Stops accepting, lets requests in flight finish (up to `graceMs`), then stops the workers. */
  close(graceMs?: number): Promise<void>;
}

export const DEFAULT_MAX_BODY = 10 * 1024 * 1024;

export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const maxBody = options.maxBody ?? DEFAULT_MAX_BODY;
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const script = pathToFileURL(join(await cliDir(), 'serve', 'worker.js'));
  const pool = new WorkerPool(script, options.workers ?? availableParallelism(), { maxBytes: maxBody });
  const handlerOptions: HandlerOptions = {
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    allowImageUrl: options.allowImageUrl ?? false,
    maxBody,
    decode: options.decode ?? ((task) => pool.decode(task)),
    renderPng: (payload, size) => renderPng(payload, size !== undefined ? { size } : {}),
    log,
  };
  const server = createServer({ requestTimeout: 60_000, headersTimeout: 20_000, keepAliveTimeout: 5_000 }, createHandler(handlerOptions));
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
    url: `http://${shownHost}:${port}`,
    port,
    pool,
    close(graceMs = 5_000) {
      return (closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        await closed;
        clearTimeout(timer);
        await pool.close();
      })());
    },
  };
}
