/** Reading request bodies with a size limit, and decoding JSON, form and multipart bodies. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { busy, type BodyBudget, type BodyTicket } from './budget.js';
import { quote } from '../../errors.js';
import { HttpError } from './http-error.js';
import { parseMultipart, type UploadedFile } from './multipart.js';

export function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than the ${limit} bytes this server accepts.`, { connection: 'close' });
}

/** What one body may cost: its own cap, its share of the global budget, and how slowly it may come. */
export interface BodyLimits {
  /** Largest body, in bytes (413 above it). */
  readonly maxBytes: number;
  /** The server-wide budget of buffered bytes and bodies read at once (503 / 429 above it). */
  readonly budget: BodyBudget;
  /** Longest wait between two chunks of the body (408 after it). */
  readonly idleMs: number;
  /**
   * Time a body gets before the minimum rate (`budget.minRate` bytes/s) applies: a body must have
   * arrived whole by `graceMs` + its bytes at that rate, or it is cut with a 408. An idle timer
   * alone is no such bound: a client sending one byte every few seconds re-arms it for ever.
   */
  readonly graceMs: number;
  /** Largest JSON or form body that is not a flat object (see `decodeBody`). */
  readonly maxJsonBytes: number;
}

function slow(minRate: number): HttpError {
  return new HttpError(408, 'BODY_TOO_SLOW', `The request body arrived slower than the minimum rate of ${minRate} bytes/s.`, { connection: 'close' });
}

/**
 * The whole body, or a 413 as soon as it is known to exceed `maxBytes` (from Content-Length or while
 * reading), a 503 / 429 when the budget cannot hold it, a 408 when the client stalls for `idleMs` or
 * falls behind the minimum rate (by its deadline, or when its slot is wanted by another body).
 * Past the size limit the rest is read and dropped rather than the socket destroyed, so the client
 * gets to read the 413 (the response closes the connection). The body's share of the budget is
 * held until the response is done (the buffer lives as long as the request is being handled).
 */
export function readBody(req: IncomingMessage, res: ServerResponse, limits: BodyLimits): Promise<Buffer> {
  const limit = limits.maxBytes;
  const minRate = limits.budget.minRate;
  return new Promise((resolve, reject) => {
    const declaredText = req.headers['content-length'];
    const declared = declaredText === undefined ? 0 : Number(declaredText);
    let over = declared > limit;
    if (over) {
      req.resume();
      reject(tooLarge(limit));
      return;
    }
    let idle: ReturnType<typeof setTimeout> | undefined;
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (e: HttpError, release: boolean): void => {
      over = true;
      clearTimeout(idle);
      clearTimeout(deadline);
      chunks.length = 0;
      if (release) ticket.release();
      reject(e);
    };
    let ticket: BodyTicket;
    try {
      ticket = limits.budget.admit(declared, req.socket.remoteAddress ?? '', () => fail(slow(minRate), false));
    } catch (e) {
      reject(e);
      return;
    }
    res.once('close', () => ticket.release());
    const started = performance.now();
    // The rate deadline moves with every byte; the timer re-checks it when it fires (no re-arming per chunk).
    const checkRate = (): void => {
      const due = started + limits.graceMs + (size * 1000) / minRate;
      const left = due - performance.now();
      if (left <= 0) fail(slow(minRate), true);
      else deadline = setTimeout(checkRate, left + 1);
    };
    deadline = setTimeout(checkRate, limits.graceMs);
    const armIdle = (): void => {
      clearTimeout(idle);
      idle = setTimeout(
        () => fail(new HttpError(408, 'BODY_TIMEOUT', `The request body stalled for more than ${limits.idleMs} ms.`, { connection: 'close' }), true),
        limits.idleMs,
      );
    };
    armIdle();
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      armIdle();
      size += chunk.length;
      if (size > limit) {
        fail(tooLarge(limit), true);
        return;
      }
      if (!ticket.take(chunk.length)) {
        fail(busy(`${limits.budget.maxBytes} buffered request bytes`), true);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      clearTimeout(idle);
      clearTimeout(deadline);
      if (!over) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    // A client that goes away mid-body ("aborted", a reset) is bad input, not a fault: no stack in the log.
    req.on('error', () => {
      clearTimeout(idle);
      clearTimeout(deadline);
      ticket.release();
      reject(new HttpError(400, 'ABORTED', 'The client closed the request before sending the whole body.'));
    });
    req.on('close', () => {
      clearTimeout(idle);
      clearTimeout(deadline);
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

/** Members a large JSON or form body may have (the API's fields are a handful). */
const MAX_FLAT_MEMBERS = 32;
/** Bytes outside string values a large flat JSON object may spend (whitespace, scalars, syntax). */
const MAX_FLAT_SYNTAX = 4096;

function tooComplex(maxJsonBytes: number, what: string): HttpError {
  return new HttpError(
    413,
    'BODY_TOO_COMPLEX',
    `A ${what} body over ${maxJsonBytes} bytes must be a flat object of at most ${MAX_FLAT_MEMBERS} fields (an image as one base64 string); this one is not.`,
    { connection: 'close' },
  );
}

/** The index after the JSON string starting at `at` (a quote), or -1. Hops with indexOf: linear. */
function skipString(b: Buffer, at: number): number {
  let i = at + 1;
  for (;;) {
    const q = b.indexOf(0x22, i);
    if (q < 0) return -1;
    let back = q - 1;
    while (back >= i && b[back] === 0x5c) back--;
    // An even number of backslashes before the quote: it is not escaped.
    if ((q - 1 - back) % 2 === 0) return q + 1;
    i = q + 1;
  }
}

const isJsonSpace = (c: number | undefined): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * Whether `b` is one JSON object whose values are all strings or scalars, with at most
 * MAX_FLAT_MEMBERS members and MAX_FLAT_SYNTAX bytes outside strings. Runs at memchr speed over
 * string contents and gives up after a few KiB of anything else, so a 10 MB body of small values
 * costs microseconds to refuse instead of a long JSON.parse on the event loop. Not a validator:
 * JSON.parse still runs on what passes.
 */
export function isFlatJsonObject(b: Buffer): boolean {
  let i = 0;
  let syntax = 0;
  const skipSpace = (): void => {
    while (isJsonSpace(b[i]) && syntax < MAX_FLAT_SYNTAX) {
      i++;
      syntax++;
    }
  };
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3;
  skipSpace();
  if (b[i++] !== 0x7b) return false;
  skipSpace();
  if (b[i] === 0x7d) i++;
  else {
    for (let members = 1; ; members++) {
      if (members > MAX_FLAT_MEMBERS || b[i] !== 0x22) return false;
      i = skipString(b, i);
      if (i < 0) return false;
      skipSpace();
      if (b[i++] !== 0x3a) return false;
      skipSpace();
      if (b[i] === 0x22) {
        i = skipString(b, i);
        if (i < 0) return false;
      } else {
        // A number, true, false or null: no object or array.
        const from = i;
        while (i < b.length && b[i] !== 0x2c && b[i] !== 0x7d && !isJsonSpace(b[i])) {
          if (b[i] === 0x7b || b[i] === 0x5b || i - from > 64) return false;
          i++;
        }
        syntax += i - from;
      }
      skipSpace();
      const c = b[i++];
      syntax++;
      if (c === 0x7d) break;
      if (c !== 0x2c || syntax >= MAX_FLAT_SYNTAX) return false;
      skipSpace();
    }
  }
  skipSpace();
  return i === b.length;
}

/** Whether a form-urlencoded body has at most MAX_FLAT_MEMBERS fields (counted with indexOf). */
function fewFormFields(b: Buffer): boolean {
  let n = 1;
  for (let i = b.indexOf(0x26); i >= 0; i = b.indexOf(0x26, i + 1)) if (++n > MAX_FLAT_MEMBERS) return false;
  return true;
}

/**
 * The fields of a JSON, form or multipart body. A JSON or form body over `maxJsonBytes` must be flat
 * (see isFlatJsonObject): the only large thing the API takes is one base64 image, and parsing ten
 * megabytes of small values would hold the event loop for hundreds of milliseconds.
 *
 * A body whose first non-blank character is `{` is read as JSON whatever its Content-Type:
 * `curl -d '{...}'` sends JSON labelled as a form, and reading it as one would answer "nominal is
 * required" to a request that holds it. (A form body cannot start with `{` in a way that makes
 * sense, and a multipart body starts with its boundary.)
 */
export function decodeBody(body: Buffer, contentType: string | undefined, maxJsonBytes = Infinity): RequestFields {
  const type = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (body.length === 0) return { fields: {}, files: NO_FILES };
  const declaredJson = type === 'application/json' || type === '' || type.endsWith('+json');
  if (declaredJson || (type !== 'multipart/form-data' && startsWithBrace(body))) {
    if (body.length > maxJsonBytes && !isFlatJsonObject(body)) throw tooComplex(maxJsonBytes, 'JSON');
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
    if (body.length > maxJsonBytes && !fewFormFields(body)) throw tooComplex(maxJsonBytes, 'form');
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
