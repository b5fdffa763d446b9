/**
 * The BAYAR GG compatible endpoints, offline:
 *   POST     /api/qris-convert.php  { qris | image | image_url, nominal } -> dynamic code + image URL
 *   GET|POST /api/qris-info.php     { qris } -> merchant name, city, amount, is_dynamic + full info
 *   GET      /api/qr.png?data=...   the QR image of a payload (what qr_image_url points at)
 *   GET      /healthz               liveness for load balancers (no key, no work)
 * Field names and JSON types are the documented ones (`amount` is a number, 0 when the code has
 * none). Every failure is `{ success: false, error, code, message }` with a fitting status (http-error.ts):
 * `error` and `message` hold the sentence, `code` the stable code.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isQrisError, QrisError, quote } from '../../errors.js';
import { bytesFromText } from '../../image/input.js';
import { info, KIND_WORDS, parse, toDynamic } from '../../index.js';
import { formatAmountAs } from '../../qris/amount.js';
import { decodeBody, drain, readBody, type BodyLimits, type RequestFields } from './body.js';
import { HttpError, toErrorResponse } from './http-error.js';
import type { DecodeTask } from './pool.js';
import { servePosPage } from './static.js';
import { cpmInfo, cpmInfoJson, looksLikeCpm, validateCpm } from '../cpm.js';

/** One line of the request log: never the key, the query or a body. */
export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly ms: number;
}

export interface HandlerOptions {
  /** When set, every endpoint except qr.png and /healthz needs `X-API-Key` equal to it. */
  readonly apiKey?: string;
  /** Accept `image_url` (the server then fetches caller-chosen URLs, through the address guard). */
  readonly allowImageUrl: boolean;
  /** Largest request body, in bytes, its share of the global budget and its idle timeout. */
  readonly body: BodyLimits;
  /** Image decoding (the worker pool). */
  readonly decode: (task: DecodeTask) => Promise<string>;
  /** Fetches an image_url on the main thread, under the guard and the fetch limits. */
  readonly fetchImage: (url: URL) => Promise<Uint8Array>;
  /** PNG rendering for qr.png (off the event loop, capped). */
  readonly renderPng: (payload: string, size: number | undefined) => Promise<Uint8Array>;
  /** Origin of qr_image_url (`--public-url`); default: the address the request came in on. */
  readonly publicUrl?: string;
  /** Where unexpected errors are reported. */
  readonly log: (line: string) => void;
  /** Called once per answered request (`--log json`). */
  readonly requestLog?: (entry: RequestLogEntry) => void;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, o: HandlerOptions) => Promise<void>;

interface Route {
  readonly methods: readonly string[];
  readonly auth: boolean;
  readonly handler: Handler;
}

const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['/api/qris-convert.php', { methods: ['POST'], auth: true, handler: convertRoute }],
  ['/api/qris-info.php', { methods: ['GET', 'POST'], auth: true, handler: infoRoute }],
  // An <img src> cannot send headers, and the image only shows what its URL already holds.
  ['/api/qr.png', { methods: ['GET', 'HEAD'], auth: false, handler: qrPngRoute }],
  ['/healthz', { methods: ['GET', 'HEAD'], auth: false, handler: healthRoute }],
]);

/** The request listener. Never rejects: every error becomes a JSON error response. */
export function createHandler(options: HandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const keyHash = options.apiKey === undefined ? undefined : sha256(options.apiKey);
  const maxBody = options.body.maxBytes;
  return (req, res) => {
    if (options.requestLog) {
      const started = performance.now();
      const entry = options.requestLog;
      res.once('close', () => {
        const path = (req.url ?? '/').split('?', 1)[0]!;
        entry({
          method: (req.method ?? '').slice(0, 16),
          path: path.slice(0, 100),
          status: res.statusCode,
          ms: Math.round((performance.now() - started) * 10) / 10,
        });
      });
    }
    void handle(req, res, options, keyHash).catch(async (e: unknown) => {
      // A 413 closes the connection: first let the client finish sending (within bounds).
      if (e instanceof HttpError && e.status === 413) await drain(req, Math.max(4 * maxBody, 8 * 1024 * 1024), 10_000);
      // A refused (503, 429) or stalled (408) body is not read: the connection goes once the answer is out.
      const unread = e instanceof HttpError && (e.status === 503 || e.status === 429 || e.status === 408) && !req.complete;
      if (unread) {
        res.shouldKeepAlive = false;
        res.once('finish', () => req.socket.destroySoon());
      }
      sendError(res, e, options);
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, o: HandlerOptions, keyHash: Buffer | undefined): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://localhost');
  } catch {
    // `GET http://[/ HTTP/1.1` passes Node's parser but is no URL: bad input, not a server fault.
    throw new HttpError(400, 'BAD_REQUEST', 'The request target is not a valid URL.', { connection: 'close' });
  }
  const path = url.pathname.length > 1 && url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  if (await servePosPage(req, res, path)) return; // the cashier page (static.ts)
  const route = ROUTES.get(path);
  if (!route) throw new HttpError(404, 'NOT_FOUND', `No endpoint at ${quote(path)}. Endpoints: ${[...ROUTES.keys()].join(', ')}.`);
  const method = req.method ?? 'GET';
  if (!route.methods.includes(method)) {
    throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${path} accepts ${route.methods.join(', ')}, not ${quote(method)}.`, { allow: route.methods.join(', ') });
  }
  if (route.auth && keyHash !== undefined && !keyMatches(req.headers['x-api-key'], keyHash)) {
    throw new HttpError(401, 'UNAUTHORIZED', 'A valid X-API-Key header is required.');
  }
  await route.handler(req, res, url, o);
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** Constant-time comparison (of fixed-length digests, so the key's length does not leak either). */
function keyMatches(given: string | string[] | undefined, expected: Buffer): boolean {
  if (typeof given !== 'string') return false;
  return timingSafeEqual(sha256(given), expected);
}

// ---- Responses -----------------------------------------------------------------------------------

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, e: unknown, o: Pick<HandlerOptions, 'log'>): void {
  const r = toErrorResponse(e);
  if (r.unexpected) o.log(`unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, r.status, r.body, r.headers);
  // After a 413 the rest of the body is not read: close the connection once the answer is out.
}

// ---- Request fields --------------------------------------------------------------------------------

async function fieldsOf(req: IncomingMessage, res: ServerResponse, url: URL, o: HandlerOptions): Promise<RequestFields> {
  if (req.method === 'GET') return { fields: Object.fromEntries(url.searchParams), files: new Map() };
  return decodeBody(await readBody(req, res, o.body), req.headers['content-type'], o.body.maxJsonBytes);
}

function stringField(fields: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const v = fields[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new HttpError(400, 'INVALID_FIELD', `${name} must be a string.`);
  return v;
}

/**
 * `nominal` as the amount text of the dynamic code (whole rupiah), checked here so that a refusal
 * names the API's own field (`nominal`), never a library option an API caller cannot set.
 */
function nominalOf(fields: Readonly<Record<string, unknown>>): string {
  const v = fields['nominal'] ?? fields['amount'];
  if (v === undefined || v === null || v === '') throw new HttpError(400, 'MISSING_NOMINAL', 'nominal (the amount) is required.');
  if (typeof v !== 'number' && typeof v !== 'string') throw new HttpError(400, 'INVALID_FIELD', 'nominal must be a number or a decimal string.');
  return formatAmountAs(typeof v === 'string' ? v.trim() : v, {}, 'nominal', 'BAD_AMOUNT', undefined, 'send a whole number of rupiah (no cents), e.g. 25000.');
}

/** Base64 or data-URL text to bytes (the reader decodeImage uses); a URL belongs in image_url. */
function imageFieldBytes(text: string, maxBytes: number): Uint8Array {
  if (/^\s*https?:\/\//i.test(text)) throw new HttpError(400, 'INVALID_IMAGE', 'image holds a URL: send it as image_url instead.');
  return bytesFromText(text, maxBytes);
}

/**
 * Decodes bytes fetched from an image_url. A failure says only that the data is not a readable
 * image: an error that quotes the first bytes would let a caller read internal responses.
 */
async function decodeFetched(bytes: Uint8Array, o: HandlerOptions): Promise<string> {
  try {
    return await o.decode({ bytes });
  } catch (e) {
    if (isQrisError(e) && (e.code === 'IMAGE_UNSUPPORTED_FORMAT' || e.code === 'IMAGE_CORRUPT')) {
      throw new QrisError(e.code, 'The data at image_url is not a readable PNG, JPEG, GIF, WebP or BMP image.');
    }
    throw e;
  }
}

/**
 * One answer for every refused image_url. The library's FETCH_REFUSED names the reason (a private
 * address, a loopback one, a name with no address), which would tell a caller what an internal
 * host name resolves to; a serve client only learns that this server does not fetch from there.
 */
export const FETCH_REFUSED_MESSAGE = 'image_url points to a host this server does not fetch from.';

async function fetchRefusedAlike(fetching: Promise<Uint8Array>): Promise<Uint8Array> {
  try {
    return await fetching;
  } catch (e) {
    if (isQrisError(e) && e.code === 'FETCH_REFUSED') throw new QrisError('FETCH_REFUSED', FETCH_REFUSED_MESSAGE);
    throw e;
  }
}

/** The payload a convert request is about: given as text, or read from an image in the pool. */
async function payloadFromRequest({ fields, files }: RequestFields, o: HandlerOptions): Promise<string> {
  const qris = stringField(fields, 'qris');
  if (qris !== undefined && qris.trim() !== '') return qris;
  const file = files.get('image') ?? files.get('file');
  if (file) return o.decode({ bytes: file.data });
  const image = stringField(fields, 'image');
  if (image !== undefined && image !== '') return o.decode({ bytes: imageFieldBytes(image, o.body.maxBytes) });
  const imageUrl = stringField(fields, 'image_url') ?? stringField(fields, 'imageUrl');
  if (imageUrl !== undefined && imageUrl !== '') {
    if (!o.allowImageUrl)
      throw new HttpError(400, 'IMAGE_URL_DISABLED', 'image_url is turned off on this server (start it with --allow-image-url); send the image itself.');
    let url: URL | undefined;
    try {
      url = new URL(imageUrl.trim());
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
      throw new HttpError(400, 'INVALID_IMAGE_URL', 'image_url must be an http or https URL.');
    // Fetched here, on the main thread under its own limits; only the bytes go to a worker.
    return decodeFetched(await fetchRefusedAlike(o.fetchImage(url)), o);
  }
  throw new HttpError(400, 'MISSING_QRIS', 'Send qris (the payload), image (a file or base64) or image_url.');
}

/** `amount` as the API documents it: a number, 0 when the code holds none. */
function amountOf(meta: { readonly amount?: { readonly value: number } }): number {
  const v = meta.amount?.value;
  return v !== undefined && Number.isFinite(v) ? v : 0;
}

// ---- Endpoints -----------------------------------------------------------------------------------

async function convertRoute(req: IncomingMessage, res: ServerResponse, url: URL, o: HandlerOptions): Promise<void> {
  const fields = await fieldsOf(req, res, url, o);
  const nominal = nominalOf(fields.fields);
  const payload = await payloadFromRequest(fields, o);
  // Like the hosted API, an already dynamic code gets its amount replaced.
  const qris = toDynamic(payload, { amount: nominal, replaceAmount: true });
  if (looksLikeCpm(qris)) {
    // A payer's code (EMVCo CPM): its reading (PAN masked) instead of BAD_ID; no merchant fields.
    const cpm = cpmInfo(qris);
    const { valid, profile, issues } = validateCpm(qris);
    sendJson(res, 200, { success: true, mode: 'cpm', valid, profile, issues, info: cpmInfoJson(cpm) });
    return;
  }
  const meta = info(qris);
  sendJson(res, 200, {
    success: true,
    qris,
    qr_image_url: `${o.publicUrl ?? socketOrigin(req)}/api/qr.png?data=${encodeURIComponent(qris)}`,
    merchant_name: meta.merchantName ?? '',
    amount: amountOf(meta),
  });
}

async function infoRoute(req: IncomingMessage, res: ServerResponse, url: URL, o: HandlerOptions): Promise<void> {
  const { fields } = await fieldsOf(req, res, url, o);
  const qris = stringField(fields, 'qris');
  if (qris === undefined || qris.trim() === '') throw new HttpError(400, 'MISSING_QRIS', 'qris (the payload) is required.');
  if (looksLikeCpm(qris)) {
    // A payer's code (EMVCo CPM): its reading (PAN masked) instead of BAD_ID; no merchant fields.
    const cpm = cpmInfo(qris);
    const { valid, profile, issues } = validateCpm(qris);
    sendJson(res, 200, { success: true, mode: 'cpm', valid, profile, issues, info: cpmInfoJson(cpm) });
    return;
  }
  const meta = info(qris);
  sendJson(res, 200, {
    success: true,
    merchant_name: meta.merchantName ?? '',
    merchant_city: meta.merchantCity ?? '',
    amount: amountOf(meta),
    is_dynamic: meta.isDynamic,
    // payment | transfer | cash-withdrawal | cash-deposit, and in words (a transfer pays a person).
    kind: meta.kind,
    kind_text: KIND_WORDS[meta.kind],
    crc_valid: meta.crc.valid,
    info: meta,
  });
}

async function qrPngRoute(req: IncomingMessage, res: ServerResponse, url: URL, o: HandlerOptions): Promise<void> {
  const data = url.searchParams.get('data') ?? url.searchParams.get('qris');
  if (!data) throw new HttpError(400, 'MISSING_DATA', 'qr.png needs ?data=<payload>.');
  const sizeText = url.searchParams.get('size');
  let size: number | undefined;
  if (sizeText !== null) {
    size = Number(sizeText);
    if (!Number.isInteger(size) || size < 64 || size > MAX_QR_SIZE)
      throw new HttpError(400, 'INVALID_FIELD', `size must be an integer from 64 to ${MAX_QR_SIZE}.`);
  }
  // Only well-formed payloads with a correct CRC are drawn: this is not a general QR service.
  const payload = parse(data).payload;
  const png = await o.renderPng(payload, size);
  res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length, 'cache-control': 'public, max-age=86400, immutable' });
  res.end(req.method === 'HEAD' ? undefined : png);
}

/** Largest qr.png side, in pixels. */
export const MAX_QR_SIZE = 1024;

function healthRoute(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const text = '{"success":true,"status":"ok"}';
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': text.length, 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : text);
  return Promise.resolve();
}

/**
 * `http://address:port` of the socket the request came in on: the server's own address, never the
 * client's Host header (which a client could point anywhere).
 */
function socketOrigin(req: IncomingMessage): string {
  let addr = req.socket.localAddress ?? '127.0.0.1';
  if (addr.startsWith('::ffff:')) addr = addr.slice(7);
  return `http://${addr.includes(':') ? `[${addr}]` : addr}:${req.socket.localPort ?? 80}`;
}
