// A real HTTP server on 127.0.0.1 for the remote tests (no mocks, no other network), and a
// multipart/form-data reader to check what the client uploaded.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export type Handler = (req: Seen, res: ServerResponse) => void | Promise<void>;

export interface TestServer {
  /** e.g. http://127.0.0.1:40123/api */
  readonly baseUrl: string;
  readonly seen: Seen[];
  /** Handlers for the next requests, in order; the last one answers every request after. */
  reply(...handlers: Handler[]): void;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const seen: Seen[] = [];
  let queue: Handler[] = [json(200, { success: true })];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      seen.push(s);
      const h = queue.length > 1 ? queue.shift()! : queue[0]!;
      Promise.resolve(h(s, res)).catch((e: unknown) => {
        res.statusCode = 599;
        res.end(String(e));
      });
    });
  });
  // Keep-alive sockets would hold close() open.
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api`,
    seen,
    reply(...handlers) {
      queue = handlers;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
}

export function text(status: number, body: string, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/html', ...headers });
    res.end(body);
  };
}

/** Answers after `ms` (headers and body both late). */
export function slow(ms: number, inner: Handler): Handler {
  return (req, res) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        if (!res.destroyed) void inner(req, res);
        resolve();
      }, ms);
      res.on('close', () => {
        clearTimeout(t);
        resolve();
      });
    });
}

/** Sends headers at once and the body after `ms`. */
export function slowBody(ms: number, body: unknown): Handler {
  return (_req, res) =>
    new Promise<void>((resolve) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(' ');
      const t = setTimeout(() => {
        res.end(JSON.stringify(body));
        resolve();
      }, ms);
      res.on('close', () => {
        clearTimeout(t);
        resolve();
      });
    });
}

export interface Part {
  readonly name: string;
  readonly filename: string | undefined;
  readonly contentType: string | undefined;
  readonly data: Buffer;
}

/** Reads a multipart/form-data body (RFC 7578) into its parts. */
export function parseMultipart(contentType: string | undefined, body: Buffer): Part[] {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  if (!m) throw new Error(`not multipart: ${contentType}`);
  const boundary = Buffer.from('--' + (m[1] ?? m[2]!));
  const parts: Part[] = [];
  let pos = body.indexOf(boundary);
  while (pos >= 0) {
    const start = pos + boundary.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), boundary]), headerEnd);
    if (headerEnd < 0 || next < 0) throw new Error('truncated multipart body');
    const head = body.subarray(start + 2, headerEnd).toString('latin1');
    const disp = /content-disposition:[^\r\n]*/i.exec(head)?.[0] ?? '';
    parts.push({
      name: /\bname="([^"]*)"/.exec(disp)?.[1] ?? '',
      filename: /\bfilename="([^"]*)"/.exec(disp)?.[1],
      contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim(),
      data: body.subarray(headerEnd + 4, next),
    });
    pos = next + 2;
  }
  return parts;
}

export interface Flood extends Handler {
  /** Bytes the server handed to the socket before the client went away (or `maxBytes`). */
  readonly sent: () => number;
  /** Resolves when the server stopped sending: the client closed, or `maxBytes` went out. */
  readonly done: Promise<'closed' | 'finished'>;
}

/**
 * Sends `status` with a body of `chunk` repeated up to `maxBytes` (a bounded "endless" body),
 * honouring backpressure, and stops as soon as the client closes the connection.
 * `contentLength` declares a length in the headers (none: chunked).
 */
export function flood(options: { maxBytes: number; status?: number; chunk?: Buffer; contentLength?: number; prefix?: string }): Flood {
  const chunk = options.chunk ?? Buffer.alloc(64 * 1024, 0x61);
  let sent = 0;
  let settle!: (v: 'closed' | 'finished') => void;
  const done = new Promise<'closed' | 'finished'>((r) => (settle = r));
  const handler: Handler = (_req, res) =>
    new Promise<void>((resolve) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (options.contentLength !== undefined) headers['content-length'] = String(options.contentLength);
      res.writeHead(options.status ?? 200, headers);
      let closed = false;
      res.on('close', () => {
        closed = true;
        settle('closed');
        resolve();
      });
      if (options.prefix !== undefined) {
        res.write(options.prefix);
        sent += Buffer.byteLength(options.prefix);
      }
      const pump = (): void => {
        while (!closed && sent < options.maxBytes) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        if (!closed) {
          settle('finished');
          res.end();
        }
      };
      pump();
    });
  return Object.assign(handler, { sent: () => sent, done });
}

/** Sends the headers and `partial` (part of a body), then nothing more until the client leaves. */
export function stallMidBody(partial: string): Handler {
  return (_req, res) =>
    new Promise<void>((resolve) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(partial);
      res.on('close', () => resolve());
    });
}
