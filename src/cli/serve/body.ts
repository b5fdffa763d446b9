/** Reading request bodies with a size limit, and decoding JSON, form and multipart bodies. */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';
import { parseMultipart, type UploadedFile } from './multipart.js';

export function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than the ${limit} bytes this server accepts.`, { connection: 'close' });
}

/**
 * The whole body, or a 413 as soon as it is known to exceed `limit` (from Content-Length or while
 * reading). Past the limit the rest is read and dropped rather than the socket destroyed, so the
 * client gets to read the 413 (the response closes the connection).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = req.headers['content-length'];
    let over = declared !== undefined && Number(declared) > limit;
    if (over) {
      req.resume();
      reject(tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new HttpError(400, 'ABORTED', 'The client closed the request before sending the whole body.'));
    });
  });
}

/** Request fields, whatever the body format: strings, plus uploaded files for multipart. */
export interface RequestFields {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly files: ReadonlyMap<string, UploadedFile>;
}

const NO_FILES: ReadonlyMap<string, UploadedFile> = new Map();

export function decodeBody(body: Buffer, contentType: string | undefined): RequestFields {
  const type = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (body.length === 0) return { fields: {}, files: NO_FILES };
  if (type === 'application/json' || type === '' || type.endsWith('+json')) {
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'INVALID_JSON', 'The request body is not valid JSON.');
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new HttpError(400, 'INVALID_JSON', 'The request body must be a JSON object.');
    return { fields: value as Record<string, unknown>, files: NO_FILES };
  }
  if (type === 'application/x-www-form-urlencoded') {
    return { fields: Object.fromEntries(new URLSearchParams(body.toString('utf8'))), files: NO_FILES };
  }
  if (type === 'multipart/form-data') {
    const { fields, files } = parseMultipart(body, contentType!);
    return { fields, files };
  }
  throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `Send JSON, form-urlencoded or multipart/form-data; got ${type}.`);
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
