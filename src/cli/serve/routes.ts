/**
 * The BAYAR GG compatible endpoints, offline:
 *   POST     /api/qris-convert.php  { qris | image | image_url, nominal } -> dynamic code + image URL
 *   GET|POST /api/qris-info.php     { qris } -> merchant name, city, amount, is_dynamic + full info
 *   GET      /api/qr.png?data=...   the QR image of a payload (what qr_image_url points at)
 * Every failure is `{ success: false, error, message }` with a fitting status (see http-error.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { info, parse, toDynamic } from '../../index.js';
import { decodeBody, drain, readBody, type RequestFields } from './body.js';
import { HttpError, toErrorResponse } from './http-error.js';
import type { DecodeTask } from './pool.js';
import { servePosPage } from './static.js';

export interface HandlerOptions {
  /** When set, every endpoint except qr.png needs `X-API-Key` equal to it. */
  readonly apiKey?: string;
  /** Accept `image_url` (the server then fetches caller-chosen URLs). */
  readonly allowImageUrl: boolean;
  /** Largest request body, in bytes. */
  readonly maxBody: number;
  /** Image decoding (the worker pool). */
  readonly decode: (task: DecodeTask) => Promise<string>;
  /** PNG rendering for qr.png. */
  readonly renderPng: (payload: string, size: number | undefined) => Promise<Uint8Array>;
  /** Where unexpected errors are reported. */
  readonly log: (line: string) => void;
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
]);

/** The request listener. Never rejects: every error becomes a JSON error response. */
export function createHandler(options: HandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const keyHash = options.apiKey === undefined ? undefined : sha256(options.apiKey);
  return (req, res) => {
    void handle(req, res, options, keyHash).catch(async (e: unknown) => {
      // A 413 closes the connection: first let the client finish sending (within bounds).
      if (e instanceof HttpError && e.status === 413) await drain(req, Math.max(4 * options.maxBody, 8 * 1024 * 1024), 10_000);
      sendError(res, e, options);
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, o: HandlerOptions, keyHash: Buffer | undefined): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.length > 1 && url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  if (await servePosPage(req, res, path)) return; // the cashier page (static.ts)
  const route = ROUTES.get(path);
  if (!route) throw new HttpError(404, 'NOT_FOUND', `No endpoint at ${path}. Endpoints: ${[...ROUTES.keys()].join(', ')}.`);
  const method = req.method ?? 'GET';
  if (!route.methods.includes(method)) {
    throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${path} accepts ${route.methods.join(', ')}, not ${method}.`, { allow: route.methods.join(', ') });
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

async function fieldsOf(req: IncomingMessage, url: URL, o: HandlerOptions): Promise<RequestFields> {
  if (req.method === 'GET') return { fields: Object.fromEntries(url.searchParams), files: new Map() };
  return decodeBody(await readBody(req, o.maxBody), req.headers['content-type']);
}

function stringField(fields: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const v = fields[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new HttpError(400, 'INVALID_FIELD', `${name} must be a string.`);
  return v;
}

/** `nominal` as a number or decimal string; the converter checks it is a valid amount. */
function nominalOf(fields: Readonly<Record<string, unknown>>): number | string {
  const v = fields['nominal'] ?? fields['amount'];
  if (v === undefined || v === null || v === '') throw new HttpError(400, 'MISSING_NOMINAL', 'nominal (the amount) is required.');
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim();
  throw new HttpError(400, 'INVALID_FIELD', 'nominal must be a number or a decimal string.');
}

/** Base64 or data-URL text to bytes; refuses anything else. */
function base64Bytes(text: string): Uint8Array {
  let b64 = text.trim();
  if (b64.startsWith('data:')) {
    const comma = b64.indexOf(',');
    if (comma < 0 || !b64.slice(0, comma).endsWith(';base64')) throw new HttpError(400, 'INVALID_IMAGE', 'image must be base64 or a base64 data URL.');
    b64 = b64.slice(comma + 1);
  }
  if (/^https?:\/\//i.test(b64)) throw new HttpError(400, 'INVALID_IMAGE', 'image holds a URL: send it as image_url instead.');
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length === 0) throw new HttpError(400, 'INVALID_IMAGE', 'image is empty or not base64.');
  return bytes;
}

/** The payload a convert request is about: given as text, or read from an image in the pool. */
async function payloadOf({ fields, files }: RequestFields, o: HandlerOptions): Promise<string> {
  const qris = stringField(fields, 'qris');
  if (qris !== undefined && qris.trim() !== '') return qris;
  const file = files.get('image') ?? files.get('file');
  if (file) return o.decode({ bytes: file.data });
  const image = stringField(fields, 'image');
  if (image !== undefined && image !== '') return o.decode({ bytes: base64Bytes(image) });
  const imageUrl = stringField(fields, 'image_url') ?? stringField(fields, 'imageUrl');
  if (imageUrl !== undefined && imageUrl !== '') {
    if (!o.allowImageUrl) throw new HttpError(400, 'IMAGE_URL_DISABLED', 'image_url is turned off on this server (start it with --allow-image-url); send the image itself.');
    if (!/^https?:\/\//i.test(imageUrl)) throw new HttpError(400, 'INVALID_IMAGE_URL', 'image_url must be an http or https URL.');
    return o.decode({ url: imageUrl });
  }
  throw new HttpError(400, 'MISSING_QRIS', 'Send qris (the payload), image (a file or base64) or image_url.');
}

// ---- Endpoints -----------------------------------------------------------------------------------

async function convertRoute(req: IncomingMessage, res: ServerResponse, url: URL, o: HandlerOptions): Promise<void> {
  const fields = await fieldsOf(req, url, o);
  const nominal = nominalOf(fields.fields);
  const payload = await payloadOf(fields, o);
  // Like the hosted API, an already dynamic code gets its amount replaced.
  const qris = toDynamic(payload, { amount: nominal, replaceAmount: true });
  const meta = info(qris);
  sendJson(res, 200, {
    success: true,
    qris,
    qr_image_url: `${origin(req)}/api/qr.png?data=${encodeURIComponent(qris)}`,
    merchant_name: meta.merchantName ?? null,
    amount: meta.amount?.value ?? null,
  });
}

async function infoRoute(req: IncomingMessage, res: ServerResponse, url: URL, o: HandlerOptions): Promise<void> {
  const { fields } = await fieldsOf(req, url, o);
  const qris = stringField(fields, 'qris');
  if (qris === undefined || qris.trim() === '') throw new HttpError(400, 'MISSING_QRIS', 'qris (the payload) is required.');
  const meta = info(qris);
  sendJson(res, 200, {
    success: true,
    merchant_name: meta.merchantName ?? null,
    merchant_city: meta.merchantCity ?? null,
    amount: meta.amount?.value ?? null,
    is_dynamic: meta.isDynamic,
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
    if (!Number.isInteger(size) || size < 64 || size > 2048) throw new HttpError(400, 'INVALID_FIELD', 'size must be an integer from 64 to 2048.');
  }
  // Only well-formed payloads with a correct CRC are drawn: this is not a general QR service.
  const payload = parse(data).payload;
  const png = await o.renderPng(payload, size);
  res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length, 'cache-control': 'public, max-age=86400, immutable' });
  res.end(req.method === 'HEAD' ? undefined : png);
}

/** `http://host:port` as the client addressed this server. */
function origin(req: IncomingMessage): string {
  const host = req.headers.host;
  if (host && /^[A-Za-z0-9.\-:[\]]+$/.test(host)) return `http://${host}`;
  const addr = req.socket.localAddress ?? '127.0.0.1';
  return `http://${addr.includes(':') ? `[${addr}]` : addr}:${req.socket.localPort ?? 80}`;
}
