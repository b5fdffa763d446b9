/**
 * Everything `decodeImage` accepts, turned into bytes under a size cap: bytes as they are, base64 or
 * a data URL decoded, an http(s) URL fetched with a timeout, a byte cap enforced while streaming and
 * redirects followed by hand (at most `maxRedirects`, each checked to stay on http/https and, by the
 * address guard, off loopback, private and other non-public addresses).
 */
import { describeValue, QrisError, quote } from '../errors.js';
import { readStreamCapped } from '../io/read-capped.js';
import { base64Decode } from './base64.js';
import { checkUrlHost, type ConnectHook, type GuardResult, type LookupHook } from './address-guard.js';

export type { ConnectHook, LookupHook, PinnedRequest, ResolvedAddress } from './address-guard.js';

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
  readonly timeoutMs?: number | undefined;
  /** Redirects followed before giving up. @default 3 */
  readonly maxRedirects?: number | undefined;
  /** Extra request headers. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Give up when a connection is not up after this many milliseconds. @default 5000 */
  readonly connectTimeoutMs?: number | undefined;
  /**
   * Let URLs reach loopback, private, link-local, CGNAT, ULA and other non-public addresses (an
   * intranet, a test server on 127.0.0.1). Off, every host and every redirect target is resolved
   * and refused (`FETCH_REFUSED`) when any of its addresses is not global unicast.
   * @default false
   */
  readonly allowPrivateAddresses?: boolean | undefined;
  /** Resolves host names for the guard. @default the system resolver (node:dns) on Node; none elsewhere */
  readonly lookup?: LookupHook | undefined;
  /**
   * Sends one GET pinned to the checked address (so DNS rebinding cannot swap it).
   * @default node:http(s) on Node; elsewhere `fetch`
   */
  readonly connect?: ConnectHook | undefined;
  /**
   * A `fetch` implementation used instead of `connect`. The guard still checks each hop's host, but
   * a fetch resolves the name again itself, so its connection is not pinned to the checked address.
   */
  readonly fetch?: typeof fetch | undefined;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_REDIRECTS = 3;

/**
 * Bytes of the encoded image; throws a `QrisError` for anything unusable. An http(s) URL (a `URL`, or
 * a string with that scheme) is fetched only when `allowUrl` is true: a server passing a caller's
 * `image` field straight in must never make outbound requests it did not ask for.
 */
export async function readInput(input: ImageInput, maxBytes: number, fetchOptions: FetchOptions = {}, net?: NetHooks, allowUrl = false): Promise<Uint8Array> {
  if (input instanceof Uint8Array) return capped(input, maxBytes);
  if (input instanceof ArrayBuffer) return capped(new Uint8Array(input), maxBytes);
  if (ArrayBuffer.isView(input)) {
    const v = input as ArrayBufferView;
    return capped(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), maxBytes);
  }
  if (input instanceof URL) return fetchImage(urlAllowed(input, allowUrl), maxBytes, fetchOptions, net);
  if (isBlobLike(input)) return blobBytes(input, maxBytes);
  if (typeof input !== 'string') {
    throw new QrisError(
      'IMAGE_UNSUPPORTED_FORMAT',
      `Expected image bytes, a Blob, base64 text, a data URL or a URL; got ${input === null ? 'null' : typeof input}.`,
    );
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
      throw new QrisError('FETCH_FAILED', `Not a valid URL: ${quote(s)}.`, { cause });
    }
    return fetchImage(urlAllowed(url, allowUrl), maxBytes, fetchOptions, net);
  }
  return base64(s, maxBytes);
}

/** `url` when URL input is allowed; `IMAGE_URL_NOT_ALLOWED` otherwise, before any request or lookup. */
function urlAllowed(url: URL, allowUrl: boolean): URL {
  if (allowUrl) return url;
  throw new QrisError(
    'IMAGE_URL_NOT_ALLOWED',
    `The image input is a URL (${url.protocol}//${quote(url.host).slice(1, -1)}/…); decodeImage fetches URLs only with { allowUrl: true }. Pass the image bytes, base64 or a data URL instead.`,
    { actual: url.protocol.slice(0, -1) },
  );
}

/** Base64 text or a base64/percent-encoded data URL to bytes, never fetching (a server's `image` field). */
export function bytesFromText(text: string, maxBytes: number): Uint8Array {
  const s = text.trim();
  if (s.length === 0) throw new QrisError('IMAGE_CORRUPT', 'The image input is an empty string.');
  return startsWithIgnoreCase(s, 'data:') ? dataUrl(s, maxBytes) : base64(s, maxBytes);
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

/**
 * The platform's own DNS lookup and pinned connector, passed in by the entry that has them (Node's
 * decode.ts and the server: node-fetch.ts). Without them (browsers) only literal addresses are
 * checked and the platform's fetch connects. Passed explicitly, so no Node module reaches a bundle.
 */
export interface NetHooks {
  readonly lookup: LookupHook;
  readonly connect: ConnectHook;
}

/** Rejects when `signal` aborts (a DNS lookup cannot be cancelled, only stopped waiting for). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/** The guard's options are checked here, where they are used (a wrong type must not disable it). */
function checkGuardOptions(o: FetchOptions): void {
  const c = o.connectTimeoutMs;
  if (c !== undefined && !(Number.isInteger(c) && c >= 1))
    throw new QrisError('BAD_OPTION', `fetch.connectTimeoutMs must be an integer >= 1; got ${describeValue(c)}.`);
  if (o.allowPrivateAddresses !== undefined && typeof o.allowPrivateAddresses !== 'boolean') {
    throw new QrisError('BAD_OPTION', `fetch.allowPrivateAddresses must be a boolean; got ${describeValue(o.allowPrivateAddresses)}.`);
  }
  if (o.lookup !== undefined && typeof o.lookup !== 'function') throw new QrisError('BAD_OPTION', 'fetch.lookup must be a function.');
  if (o.connect !== undefined && typeof o.connect !== 'function') throw new QrisError('BAD_OPTION', 'fetch.connect must be a function.');
}

async function fetchImage(start: URL, maxBytes: number, o: FetchOptions, net: NetHooks | undefined): Promise<Uint8Array> {
  checkGuardOptions(o);
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const connectTimeoutMs = o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const maxRedirects = o.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const allowPrivate = o.allowPrivateAddresses ?? false;
  const lookup = o.lookup ?? net?.lookup;
  // A custom fetch cannot be pinned to the checked address; `connect` can.
  const connect = o.connect ?? (o.fetch ? undefined : net?.connect);
  const doFetch = o.fetch ?? globalThis.fetch;
  const signal = AbortSignal.timeout(timeoutMs);
  const headers = { accept: 'image/*', ...o.headers };
  let url = start;
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new QrisError('FETCH_FAILED', `Only http: and https: URLs are fetched; got ${quote(url.protocol)}.`, { actual: url.protocol });
    }
    // Checked on every hop: a redirect may point anywhere.
    let guard: GuardResult;
    try {
      guard = await untilAborted(checkUrlHost(url, lookup, allowPrivate), signal);
    } catch (cause) {
      throw fetchError(url, cause, signal, timeoutMs);
    }
    if (!guard.ok) {
      throw new QrisError('FETCH_REFUSED', `Refused to fetch from ${quote(url.host)}: it is ${guard.reason} (set allowPrivateAddresses to reach one).`, {
        actual: guard.reason,
      });
    }
    let res: Response;
    try {
      res =
        connect && guard.address
          ? await connect({ url, address: guard.address, headers, signal, connectTimeoutMs })
          : await doFetch(url, { redirect: 'manual', signal, headers });
    } catch (cause) {
      throw fetchError(url, cause, signal, timeoutMs);
    }
    if (res.status >= 300 && res.status < 400 && res.status !== 304) {
      await res.body?.cancel().catch(() => undefined);
      const location = res.headers.get('location');
      if (!location) throw unavailable(url);
      if (hop >= maxRedirects)
        throw new QrisError('FETCH_FAILED', `More than ${maxRedirects} redirects (maxRedirects) from ${quote(start.host)}.`, { actual: 'redirects' });
      try {
        url = new URL(location, url);
      } catch (cause) {
        throw new QrisError('FETCH_FAILED', `Invalid redirect Location ${describeValue(location)}.`, { cause });
      }
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw unavailable(url);
    }
    const declared = Number(res.headers.get('content-length'));
    if (declared > maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new QrisError('IMAGE_TOO_LARGE', `The image at ${quote(url.host)} declares more than the limit (maxBytes) of ${maxBytes} bytes.`);
    }
    return readBody(res, url, maxBytes, signal, timeoutMs);
  }
}

async function readBody(res: Response, url: URL, maxBytes: number, signal: AbortSignal, timeoutMs: number): Promise<Uint8Array> {
  if (!res.body) return capped(new Uint8Array(await res.arrayBuffer()), maxBytes);
  const tooLarge = (): QrisError =>
    new QrisError('IMAGE_TOO_LARGE', `The image at ${quote(url.host)} is larger than the limit (maxBytes) of ${maxBytes} bytes.`);
  let bytes: Uint8Array;
  try {
    bytes = await readStreamCapped(res.body, maxBytes, tooLarge);
  } catch (cause) {
    if (cause instanceof QrisError) throw cause;
    throw fetchError(url, cause, signal, timeoutMs);
  }
  return capped(bytes, maxBytes);
}

/**
 * One message for every way a fetch can fail short of a timeout (refused, reset, an HTTP error, not
 * HTTP at all): an open and a closed port, or a 404 and a 500, must look the same to the caller.
 */
function unavailable(url: URL, cause?: unknown): QrisError {
  return new QrisError('FETCH_FAILED', `Could not fetch an image from ${quote(url.host)}.`, cause === undefined ? {} : { cause });
}

function fetchError(url: URL, cause: unknown, signal: AbortSignal, timeoutMs: number): QrisError {
  if (signal.aborted)
    return new QrisError('FETCH_FAILED', `Timed out after ${timeoutMs} ms (timeoutMs) fetching from ${quote(url.host)}.`, { cause, actual: 'timeout' });
  return unavailable(url, cause);
}

function startsWithIgnoreCase(s: string, prefix: string): boolean {
  return s.length >= prefix.length && s.slice(0, prefix.length).toLowerCase() === prefix;
}
