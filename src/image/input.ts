/**
 * Everything `decodeImage` accepts, turned into bytes under a size cap: bytes as they are, base64 or
 * a data URL decoded, an http(s) URL fetched with a timeout, a byte cap enforced while streaming and
 * redirects followed by hand (at most `maxRedirects`, each checked to stay on http/https).
 */
import { describeValue, QrisError } from '../errors.js';
import { base64Decode } from './base64.js';

/**
 * A `Blob` or `File` (Node 20, browsers, Deno and Bun all have them), typed by the part used here
 * so neither the DOM nor the Node type library is needed to compile against it.
 */
export interface BlobLike {
  readonly size: number;
  readonly type: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** What `decodeImage` reads: encoded image bytes, a Blob/File, base64 text, a data URL or an http(s) URL. */
export type ImageInput = Uint8Array | ArrayBuffer | BlobLike | string | URL;

export function isBlobLike(v: unknown): v is BlobLike {
  return typeof v === 'object' && v !== null && typeof (v as BlobLike).arrayBuffer === 'function' && typeof (v as BlobLike).size === 'number';
}

export interface FetchOptions {
  /** Abort the whole request (headers and body) after this many milliseconds. @default 10000 */
  readonly timeoutMs?: number;
  /** Redirects followed before giving up. @default 3 */
  readonly maxRedirects?: number;
  /** Extra request headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A `fetch` implementation to use instead of the global one. */
  readonly fetch?: typeof fetch;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_REDIRECTS = 3;

/** Bytes of the encoded image; throws a `QrisError` for anything unusable. */
export async function readInput(input: ImageInput, maxBytes: number, fetchOptions: FetchOptions = {}): Promise<Uint8Array> {
  if (input instanceof Uint8Array) return capped(input, maxBytes);
  if (input instanceof ArrayBuffer) return capped(new Uint8Array(input), maxBytes);
  if (ArrayBuffer.isView(input)) {
    const v = input as ArrayBufferView;
    return capped(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), maxBytes);
  }
  if (input instanceof URL) return fetchImage(input, maxBytes, fetchOptions);
  if (isBlobLike(input)) return blobBytes(input, maxBytes);
  if (typeof input !== 'string') {
    throw new QrisError('IMAGE_UNSUPPORTED_FORMAT', `Expected image bytes, a Blob, base64 text, a data URL or a URL; got ${input === null ? 'null' : typeof input}.`);
  }
  const s = input.trim();
  if (s.length === 0) throw new QrisError('IMAGE_CORRUPT', 'The image input is an empty string.');
  if (startsWithIgnoreCase(s, 'data:')) return dataUrl(s, maxBytes);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(s);
  if (scheme && scheme[1]!.length > 1) {
    let url: URL;
    try {
      url = new URL(s);
    } catch (cause) {
      throw new QrisError('FETCH_FAILED', `Not a valid URL: ${JSON.stringify(s.slice(0, 100))}.`, { cause });
    }
    return fetchImage(url, maxBytes, fetchOptions);
  }
  return base64(s, maxBytes);
}

/** A Blob's bytes, its size checked before any is read. */
async function blobBytes(blob: BlobLike, maxBytes: number): Promise<Uint8Array> {
  if (blob.size > maxBytes) throw new QrisError('IMAGE_TOO_LARGE', `The image is ${blob.size} bytes; the limit (maxBytes) is ${maxBytes}.`);
  let buf: ArrayBuffer;
  try {
    buf = await blob.arrayBuffer();
  } catch (cause) {
    throw new QrisError('IMAGE_CORRUPT', 'The Blob could not be read.', { cause });
  }
  return capped(new Uint8Array(buf), maxBytes);
}

function capped(b: Uint8Array, maxBytes: number): Uint8Array {
  if (b.length > maxBytes) throw new QrisError('IMAGE_TOO_LARGE', `The image is ${b.length} bytes; the limit (maxBytes) is ${maxBytes}.`);
  if (b.length === 0) throw new QrisError('IMAGE_CORRUPT', 'The image input is empty (0 bytes).');
  return b;
}

function dataUrl(s: string, maxBytes: number): Uint8Array {
  const comma = s.indexOf(',');
  if (comma < 0) throw new QrisError('IMAGE_CORRUPT', 'A data URL without a comma.');
  const meta = s.slice(5, comma).toLowerCase();
  if (!meta.endsWith(';base64')) {
    // Percent-encoded binary: legal, rare for images.
    let text: string;
    try {
      text = decodeURIComponent(s.slice(comma + 1));
    } catch (cause) {
      throw new QrisError('IMAGE_CORRUPT', 'A data URL with invalid percent-encoding.', { cause });
    }
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
    return capped(out, maxBytes);
  }
  return base64(s.slice(comma + 1), maxBytes);
}

function base64(s: string, maxBytes: number): Uint8Array {
  // Checked before decoding: every 4 characters hold 3 bytes.
  if (Math.floor((s.length * 3) / 4) > maxBytes + 3) {
    throw new QrisError('IMAGE_TOO_LARGE', `The base64 text holds about ${Math.floor((s.length * 3) / 4)} bytes; the limit (maxBytes) is ${maxBytes}.`);
  }
  let clean = s;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61 || c === 45 || c === 95;
    if (!ok) {
      if (c === 32 || c === 10 || c === 13 || c === 9) {
        clean = s.replace(/\s+/g, '');
        continue;
      }
      throw new QrisError('IMAGE_UNSUPPORTED_FORMAT', 'A string input must be base64, a data URL or an http(s) URL.', { offset: i });
    }
  }
  return capped(base64Decode(clean), maxBytes);
}

async function fetchImage(start: URL, maxBytes: number, o: FetchOptions): Promise<Uint8Array> {
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRedirects = o.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const doFetch = o.fetch ?? globalThis.fetch;
  const signal = AbortSignal.timeout(timeoutMs);
  let url = start;
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new QrisError('FETCH_FAILED', `Only http: and https: URLs are fetched; got ${url.protocol}`, { actual: url.protocol });
    }
    let res: Response;
    try {
      res = await doFetch(url, { redirect: 'manual', signal, headers: { accept: 'image/*', ...o.headers } });
    } catch (cause) {
      throw fetchError(url, cause, signal, timeoutMs);
    }
    if (res.status >= 300 && res.status < 400 && res.status !== 304) {
      await res.body?.cancel().catch(() => undefined);
      const location = res.headers.get('location');
      if (!location) throw new QrisError('FETCH_FAILED', `HTTP ${res.status} without a Location header from ${url.href}.`, { actual: String(res.status) });
      if (hop >= maxRedirects) throw new QrisError('FETCH_FAILED', `More than ${maxRedirects} redirects (last: ${url.href}).`, { actual: String(res.status) });
      try {
        url = new URL(location, url);
      } catch (cause) {
        throw new QrisError('FETCH_FAILED', `Invalid redirect Location ${describeValue(location)}.`, { cause });
      }
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new QrisError('FETCH_FAILED', `HTTP ${res.status} ${res.statusText} from ${url.href}.`, { actual: String(res.status) });
    }
    const declared = Number(res.headers.get('content-length'));
    if (declared > maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new QrisError('IMAGE_TOO_LARGE', `${url.href} declares ${declared} bytes; the limit (maxBytes) is ${maxBytes}.`);
    }
    return readBody(res, url, maxBytes, signal, timeoutMs);
  }
}

async function readBody(res: Response, url: URL, maxBytes: number, signal: AbortSignal, timeoutMs: number): Promise<Uint8Array> {
  if (!res.body) return capped(new Uint8Array(await res.arrayBuffer()), maxBytes);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new QrisError('IMAGE_TOO_LARGE', `${url.href} sent more than ${maxBytes} bytes (maxBytes).`);
      }
      chunks.push(value);
    }
  } catch (cause) {
    if (cause instanceof QrisError) throw cause;
    throw fetchError(url, cause, signal, timeoutMs);
  }
  const out = new Uint8Array(total);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return capped(out, maxBytes);
}

function fetchError(url: URL, cause: unknown, signal: AbortSignal, timeoutMs: number): QrisError {
  if (signal.aborted) return new QrisError('FETCH_FAILED', `Timed out after ${timeoutMs} ms fetching ${url.href}.`, { cause, actual: 'timeout' });
  const msg = cause instanceof Error ? cause.message : String(cause);
  return new QrisError('FETCH_FAILED', `Could not fetch ${url.href}: ${msg}`, { cause });
}

function startsWithIgnoreCase(s: string, prefix: string): boolean {
  return s.length >= prefix.length && s.slice(0, prefix.length).toLowerCase() === prefix;
}
