/** Reading request bodies with a size limit, and decoding JSON, form and multipart bodies. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { busy, type BodyBudget, type BodyTicket } from './budget.js';
import { quote } from '../../errors.js';
import { HttpError } from './http-error.js';
import { parseMultipart, type UploadedFile } from './multipart.js';

export function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than the ${limit} bytes this server accepts.`, { connection: 'close' });
}

/** What one body may cost: its own cap, its share of the global budget, and how long it may stall. */
export interface BodyLimits {
  /** Largest body, in bytes (413 above it). */
  readonly maxBytes: number;
  /** The server-wide budget of buffered bytes and bodies read at once (503 above it). */
  readonly budget: BodyBudget;
  /** Longest wait between two chunks of the body (408 after it). */
  readonly idleMs: number;
}

/**
 * The whole body, or a 413 as soon as it is known to exceed `maxBytes` (from Content-Length or while
 * reading), a 503 when the global budget cannot hold it, a 408 when the client stalls for `idleMs`.
 * Past the size limit the rest is read and dropped rather than the socket destroyed, so the client
 * gets to read the 413 (the response closes the connection). The body's share of the budget is
 * held until the response is done (the buffer lives as long as the request is being handled).
 */
export function readBody(req: IncomingMessage, res: ServerResponse, limits: BodyLimits): Promise<Buffer> {
  const limit = limits.maxBytes;
  return new Promise((resolve, reject) => {
    const declaredText = req.headers['content-length'];
    const declared = declaredText === undefined ? 0 : Number(declaredText);
    let over = declared > limit;
    if (over) {
      req.resume();
      reject(tooLarge(limit));
      return;
    }
    let ticket: BodyTicket;
    try {
      ticket = limits.budget.admit(declared);
    } catch (e) {
      reject(e);
      return;
    }
    res.once('close', () => ticket.release());
    // A declared length is reserved whole, up front; a chunked body takes its share chunk by chunk.
    if (declared > 0 && !ticket.take(declared)) {
      ticket.release();
      reject(busy(`${limits.budget.maxBytes} buffered request bytes`));
      return;
    }
    let idle: ReturnType<typeof setTimeout> | undefined;
    const stall = (): void => {
      over = true;
      chunks.length = 0;
      ticket.release();
      reject(new HttpError(408, 'BODY_TIMEOUT', `The request body stalled for more than ${limits.idleMs} ms.`, { connection: 'close' }));
    };
    const armIdle = (): void => {
      clearTimeout(idle);
      idle = setTimeout(stall, limits.idleMs);
    };
    armIdle();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      armIdle();
      size += chunk.length;
      if (size > limit) {
        over = true;
        clearTimeout(idle);
        chunks.length = 0;
        ticket.release();
        reject(tooLarge(limit));
        return;
      }
      if (declared === 0 && !ticket.take(chunk.length)) {
        over = true;
        clearTimeout(idle);
        chunks.length = 0;
        ticket.release();
        reject(busy(`${limits.budget.maxBytes} buffered request bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      clearTimeout(idle);
      if (!over) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on('error', (e) => {
      clearTimeout(idle);
      reject(e);
    });
    req.on('close', () => {
      clearTimeout(idle);
      if (!req.complete) {
        ticket.release();
        reject(new HttpError(400, 'ABORTED', 'The client closed the request before sending the whole body.'));
      }
    });
  });
}

/** Request fields, whatever the body format: strings, plus uploaded files for multipart. */
export interface RequestFields {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly files: ReadonlyMap<string, UploadedFile>;
}

const NO_FILES: ReadonlyMap<string, UploadedFile> = new Map();

/**
 * The fields of a request body. A body whose first non-blank character is `{` is read as JSON
 * whatever its Content-Type: `curl -d '{...}'` sends JSON labelled as a form, and reading it as one
 * would answer "nominal is required" to a request that holds it. (A form body cannot start with `{`
 * in a way that makes sense, and a multipart body starts with its boundary.)
 */
export function decodeBody(body: Buffer, contentType: string | undefined): RequestFields {
  const type = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (body.length === 0) return { fields: {}, files: NO_FILES };
  const declaredJson = type === 'application/json' || type === '' || type.endsWith('+json');
  if (declaredJson || (type !== 'multipart/form-data' && startsWithBrace(body))) {
    let value: unknown;
    try {
      const text = body.toString('utf8');
      value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch {
      throw new HttpError(
        400,
        'INVALID_JSON',
        declaredJson
          ? 'The request body is not valid JSON.'
          : `The request body starts with '{' but is not valid JSON (it came as ${quote(type)}); send a JSON object with Content-Type: application/json.`,
      );
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new HttpError(400, 'INVALID_JSON', 'The request body must be a JSON object.');
    return { fields: value as Record<string, unknown>, files: NO_FILES };
  }
  if (type === 'application/x-www-form-urlencoded') {
    return { fields: Object.fromEntries(new URLSearchParams(body.toString('utf8'))), files: NO_FILES };
  }
  if (type === 'multipart/form-data') {
    const { fields, files } = parseMultipart(body, contentType!);
    return { fields, files };
  }
  throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `Send JSON, form-urlencoded or multipart/form-data; got ${quote(type)}.`);
}

/** Whether the first character after blanks (and a UTF-8 BOM) is `{`. */
function startsWithBrace(body: Buffer): boolean {
  let i = body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  while (i < body.length && (body[i] === 0x20 || body[i] === 0x09 || body[i] === 0x0a || body[i] === 0x0d)) i++;
  return body[i] === 0x7b;
}

/**
 * Waits until the rest of a refused request body has arrived (and been dropped), so the client,
 * which may still be uploading, gets to read the answer instead of a broken pipe. Gives up, and
 * lets the connection be closed under the client, past `maxBytes` more bytes or `timeoutMs`.
 */
export function drain(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<void> {
  if (req.complete || req.destroyed) return Promise.resolve();
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const done = (): void => {
      clearTimeout(timer);
      req.off('data', count);
      req.off('end', done);
      req.off('close', done);
      req.off('error', done);
      resolve();
    };
    const count = (chunk: Buffer): void => {
      seen += chunk.length;
      if (seen > maxBytes) done();
    };
    const timer = setTimeout(done, timeoutMs);
    req.on('data', count);
    req.on('end', done);
    req.on('close', done);
    req.on('error', done);
    req.resume();
  });
}
