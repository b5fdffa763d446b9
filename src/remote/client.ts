/**
 * The thin BAYAR GG client: `createBayarClient({ apiKey })` with `convert` and `info`.
 * Global `fetch`, `FormData`, `Blob` and `AbortController` only, so it runs in Node, browsers and
 * edge runtimes. The API key travels in the `X-API-Key` header and nowhere else.
 */
import { QrisError } from '../errors.js';
import { parse, type ParsedQris } from '../codec/tlv.js';
import { readCapped } from './body.js';
import { RemoteError, redactError, sanitizedCause } from './errors.js';
import { createRedactor, keyStrength, MIN_KEY_CHARS, redactDeep, type Redactor } from './redact.js';
import { failureOf, infoOf, parseJson, payloadFromBody } from './response.js';
import { abortedError, backoffDelay, isRetryable, sleep } from './retry.js';
import { canonicalNominal, checkExpect, localConversion, verifyAgainst, type ExpectedMerchant } from './verify.js';

export const DEFAULT_BASE_URL = 'https://www.bayar.gg/api';

export interface BayarClientOptions {
  /**
   * Your BAYAR GG API key, trimmed once here (a key read from a file ends with a newline). Sent only
   * in the `X-API-Key` header; refused with `BAD_OPTION` unless it is a valid header value
   * (Latin-1, no control characters, not empty).
   */
  readonly apiKey: string;
  /** @default 'https://www.bayar.gg/api' */
  readonly baseUrl?: string | undefined;
  /** A `fetch` implementation (tests, proxies, instrumentation). @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /** Time limit per attempt, body included, in milliseconds. @default 30000 */
  readonly timeoutMs?: number | undefined;
  /** Extra attempts after a network error, HTTP 429 or 5xx. @default 2 */
  readonly retries?: number | undefined;
  /** Base of the exponential backoff (doubles per retry, with jitter), in milliseconds. @default 1000 */
  readonly retryDelayMs?: number | undefined;
  /**
   * Longest wait between attempts, in milliseconds. Caps the backoff; a `Retry-After` longer than
   * this is not waited out: the `rate_limit` error is thrown with its `retryAfterMs`.
   * @default 30000
   */
  readonly maxRetryDelayMs?: number | undefined;
  /**
   * Largest response body read, in bytes. Past it the body is cancelled, nothing more is read, and
   * the call fails with an `unreadable` RemoteError (`code: 'RESPONSE_TOO_LARGE'`).
   * @default 1048576 (1 MiB)
   */
  readonly maxResponseBytes?: number | undefined;
}

/** Amount for the dynamic code: a number or a decimal string (`25000`, `"25000.00"`). */
export type Nominal = number | string;

interface CallOptions {
  /** Cancels the call, including any wait between attempts. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * What to convert: a payload, an image as base64 / data URL, raw image bytes (sent as
 * `multipart/form-data`), or an image URL the server fetches itself.
 */
export type ConvertRequest = CallOptions & {
  readonly nominal: Nominal;
  /**
   * Merchant facts the answer must show (59, 51/02, the accounts' PANs with 51/01, 64/01, 64/02,
   * 80-99 templates), checked whether or not the original is known: the only merchant check
   * possible when the server read an image, where it also refuses a 64 name or city and a 65-99
   * template it does not vouch for.
   */
  readonly expect?: ExpectedMerchant | undefined;
} & ({ readonly qris: string } | { readonly image: string | Uint8Array | ArrayBuffer | Blob } | { readonly imageUrl: string });

/**
 * How far a remote answer could be checked:
 * - `exact`: the original payload was sent; the answer equals its local conversion object for
 *   object (only 01 and 54 may be placed or written differently). Nothing else can be in it, and
 *   the payload returned is the local conversion itself, not the server's text.
 * - `structure-only`: the server read an image, so there is nothing to compare with. The answer is
 *   a sound dynamic code for the nominal (CRC, 01, 54, 53 = 360, no repeated IDs, no API key,
 *   `expect` checked), but its merchant, accounts and other fields are the server's word.
 */
export type Verification = 'exact' | 'structure-only';

export interface RemoteConversion {
  /**
   * The dynamic payload, checked offline (see `verified`). For `exact`, the library's own
   * `toDynamic(qris, { amount: nominal })`, byte for byte, however the server wrote its CRC or amount.
   */
  readonly payload: string;
  /** `parse(payload)`, already done by the check. */
  readonly parsed: ParsedQris;
  /** What the check could establish. */
  readonly verified: Verification;
  /** Requests made (1 when the first one succeeded). */
  readonly attempts: number;
  /** The response body, with the API key redacted from every string in it. */
  readonly raw: unknown;
}

export interface RemoteInfo {
  /**
   * The server's description of the code (`data` when nested, else the flat body). Informational:
   * the local `info()` reads the payload itself and is the one to trust.
   */
  readonly data: Record<string, unknown>;
  readonly attempts: number;
  /** The response body, with the API key redacted from every string in it. */
  readonly raw: unknown;
}

export interface BayarClient {
  /** `POST /qris-convert.php`: a static code (payload or image) to a dynamic one for `nominal`. */
  convert(request: ConvertRequest): Promise<RemoteConversion>;
  /** `POST /qris-info.php` with `{ qris }`. */
  info(qris: string, options?: CallOptions): Promise<RemoteInfo>;
}

const CONVERT = '/qris-convert.php';
const INFO = '/qris-info.php';

function badOption(message: string): QrisError {
  return new QrisError('BAD_OPTION', message);
}

function nonNegative(value: number | undefined, fallback: number, name: string, integer = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw badOption(`${name} must be a ${integer ? 'non-negative integer' : 'non-negative number'}.`);
  }
  return value;
}

/** Why `key` cannot go in an HTTP header, or `undefined` when it can (a Fetch "header value"). */
function headerValueProblem(key: string): string | undefined {
  if (key === '') return 'is empty';
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    // The position only, never the key: an error message must not hold any of it.
    if (c > 0xff) return `holds a character outside Latin-1 at index ${i}`;
    if (c < 0x20 || c === 0x7f) return `holds a control character at index ${i}`;
  }
  return undefined;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;

export function createBayarClient(options: BayarClientOptions): BayarClient {
  if (typeof options !== 'object' || options === null) throw badOption('createBayarClient needs { apiKey }.');
  if (typeof options.apiKey !== 'string') throw badOption('createBayarClient needs an apiKey string.');
  // Trimmed once: what is sent, what is compared with baseUrl and what is redacted are one string.
  const apiKey = options.apiKey.trim();
  const problem = headerValueProblem(apiKey);
  if (problem !== undefined) throw badOption(`The apiKey ${problem}; it must be a valid HTTP header value.`);
  const strength = keyStrength(apiKey);
  // Never the key itself in the message; only how many of its characters count.
  if (strength < MIN_KEY_CHARS)
    throw badOption(
      `The apiKey has ${strength} letters or digits; at least ${MIN_KEY_CHARS} are needed, since a shorter key could not be told apart from ordinary words when it is redacted from what the server sends.`,
    );
  const redactor: Redactor = createRedactor(apiKey);
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  // A key pasted into the URL would end up in server and proxy logs: refuse it.
  if (baseUrl.includes(apiKey) || baseUrl.includes(encodeURIComponent(apiKey)))
    throw badOption('The API key must not be part of baseUrl; it is sent in the X-API-Key header.');
  if (!/^https?:\/\//i.test(baseUrl)) throw badOption('baseUrl must be an http(s) URL.');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') throw badOption('No fetch available: pass one in the fetch option.');
  const timeoutMs = nonNegative(options.timeoutMs, 30_000, 'timeoutMs');
  if (timeoutMs === 0) throw badOption('timeoutMs must be greater than zero.');
  const retries = nonNegative(options.retries, 2, 'retries', true);
  const retryDelayMs = nonNegative(options.retryDelayMs, 1_000, 'retryDelayMs');
  const maxRetryDelayMs = nonNegative(options.maxRetryDelayMs, 30_000, 'maxRetryDelayMs');
  const maxResponseBytes = nonNegative(options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, 'maxResponseBytes', true);
  if (maxResponseBytes === 0) throw badOption('maxResponseBytes must be greater than zero.');

  /** One attempt: fetch and read the body under a per-attempt timeout tied to the caller's signal. */
  async function attempt(endpoint: string, body: BodyInit, json: boolean, signal: AbortSignal | undefined): Promise<unknown> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const fail = (e: unknown, during: string): RemoteError => {
      if (signal?.aborted) return abortedError(signal);
      // Never the fetch error itself: its causes may hold raw response bytes (see sanitizedCause).
      const cause = sanitizedCause(e, redactor);
      const withCause = cause === undefined ? {} : { cause };
      if (timedOut) return new RemoteError('timeout', `BAYAR GG did not answer within ${timeoutMs} ms (${during}).`, withCause);
      const why = e instanceof Error ? redactor(String(e.message)).slice(0, 200) : 'unknown error';
      return new RemoteError('network', `Could not reach BAYAR GG (${during}): ${why}`, withCause);
    };
    try {
      const headers: Record<string, string> = { 'X-API-Key': apiKey, Accept: 'application/json' };
      if (json) headers['Content-Type'] = 'application/json';
      let res: Response;
      try {
        // Redirects are not followed: fetch would carry the X-API-Key header to wherever they point.
        res = await fetchImpl(baseUrl + endpoint, { method: 'POST', headers, body, signal: controller.signal, redirect: 'manual' });
      } catch (e) {
        throw fail(e, 'request');
      }
      if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) {
        void res.body?.cancel().catch(() => {});
        throw new RemoteError(
          'rejected',
          `BAYAR GG answered with a redirect (HTTP ${res.status}); not followed, so the API key stays with ${new URL(baseUrl).host}.`,
          {
            status: res.status,
          },
        );
      }
      let text: string;
      try {
        text = await readCapped(res, maxResponseBytes, controller.signal);
      } catch (e) {
        if (e instanceof RemoteError) throw e.with({ status: res.status });
        throw fail(e, 'reading the response');
      }
      // A reader that ignored the abort may have returned early: the timeout still wins.
      if (timedOut || signal?.aborted) throw fail(undefined, 'reading the response');
      const parsed = parseJson(text);
      const failure = failureOf({ status: res.status, retryAfter: res.headers.get('retry-after'), length: text.length }, parsed, redactor);
      if (failure) throw failure;
      return parsed;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Attempts with retries (network, 429, 5xx), backoff with jitter, Retry-After honoured. */
  async function send(endpoint: string, body: BodyInit, json: boolean, signal: AbortSignal | undefined): Promise<{ body: unknown; attempts: number }> {
    for (let n = 1; ; n++) {
      if (signal?.aborted) throw redactError(abortedError(signal, { endpoint, attempts: n - 1 }), redactor);
      try {
        return { body: await attempt(endpoint, body, json, signal), attempts: n };
      } catch (e) {
        if (!(e instanceof RemoteError)) throw e;
        const done = redactError(e.with({ endpoint, attempts: n }), redactor);
        if (e.kind === 'aborted' || !isRetryable(e) || n > retries) throw done;
        const wait = e.retryAfterMs ?? backoffDelay(n, retryDelayMs, maxRetryDelayMs);
        if (wait > maxRetryDelayMs) throw done;
        try {
          await sleep(wait, signal);
        } catch (aborted) {
          throw aborted instanceof RemoteError ? redactError(aborted.with({ endpoint, attempts: n }), redactor) : aborted;
        }
      }
    }
  }

  return {
    async convert(request: ConvertRequest): Promise<RemoteConversion> {
      if (typeof request !== 'object' || request === null) throw badOption('convert() takes { qris | image | imageUrl, nominal }.');
      const nominal = canonicalNominal(request.nominal);
      const expect = checkExpect(request.expect);
      let body: BodyInit;
      let json = true;
      let expected: ParsedQris | undefined;
      if ('qris' in request) {
        // A broken payload would only come back broken, and one the local converter refuses cannot
        // be checked: either fails here, before any request.
        const original = parse(request.qris);
        expected = localConversion(original, nominal);
        body = JSON.stringify({ qris: original.payload, nominal: Number(nominal) });
      } else if ('imageUrl' in request) {
        body = JSON.stringify({ image_url: checkUrl(request.imageUrl), nominal: Number(nominal) });
      } else if ('image' in request) {
        const image = request.image;
        if (typeof image === 'string') {
          const t = image.trim();
          if (/^https?:\/\//i.test(t)) body = JSON.stringify({ image_url: checkUrl(t), nominal: Number(nominal) });
          else body = JSON.stringify({ image: stripDataUrl(t), nominal: Number(nominal) });
        } else {
          body = multipart(image, nominal);
          json = false;
        }
      } else {
        throw badOption('convert() needs one of qris, image or imageUrl.');
      }
      const { body: answer, attempts } = await send(CONVERT, body, json, request.signal);
      const payload = payloadFromBody(answer);
      if (payload === undefined) {
        throw new RemoteError('unreadable', 'BAYAR GG answered without a converted payload (no qris, converted_qris or qris_string).', {
          status: 200,
          endpoint: CONVERT,
          attempts,
        });
      }
      let parsed: ParsedQris; // for `exact`, the local conversion (verifyAgainst returns it)
      try {
        parsed = verifyAgainst(payload, { nominal, expected, redact: redactor, ...(expect === undefined ? {} : { expect }) });
      } catch (e) {
        throw e instanceof RemoteError ? redactError(e.with({ endpoint: CONVERT, attempts }), redactor) : e;
      }
      return { payload: parsed.payload, parsed, verified: expected === undefined ? 'structure-only' : 'exact', attempts, raw: redactDeep(answer, redactor) };
    },

    async info(qris: string, options?: CallOptions): Promise<RemoteInfo> {
      if (typeof qris !== 'string' || qris.trim() === '') throw new QrisError('EMPTY_INPUT', 'info() needs a payload string.');
      const { body: answer, attempts } = await send(INFO, JSON.stringify({ qris: qris.trim() }), true, options?.signal);
      const data = infoOf(answer);
      if (data === undefined) throw new RemoteError('unreadable', 'BAYAR GG answered qris-info with JSON that is not an object.', { endpoint: INFO, attempts });
      return { data: redactDeep(data, redactor) as Record<string, unknown>, attempts, raw: redactDeep(answer, redactor) };
    },
  };
}

function checkUrl(url: string): string {
  if (typeof url !== 'string' || !/^https?:\/\/\S+$/i.test(url.trim())) throw badOption('imageUrl must be an http(s) URL.');
  return url.trim();
}

/**
 * `data:image/png;base64,AAAA` -> `AAAA`. Pure base64 is what a PHP `base64_decode` reads; a data
 * URL prefix would be decoded as garbage by the non-strict decoder.
 */
function stripDataUrl(s: string): string {
  if (!s.startsWith('data:')) return s;
  const comma = s.indexOf(',');
  return comma < 0 ? s : s.slice(comma + 1);
}

/**
 * MIME type and file extension from the magic bytes alone (the server may route on either). Not
 * `sniff` from image/sniff.ts: that one also checks the header and throws IMAGE_CORRUPT for a
 * truncated or odd one, and such images are exactly those sent here (IMAGE_CORRUPT is in
 * REMOTE_CAN_HELP); they must still go out labelled as what their first bytes say.
 */
function uploadTypeOf(b: Uint8Array): [string, string] {
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return ['image/png', 'png'];
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return ['image/jpeg', 'jpg'];
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return ['image/gif', 'gif'];
  if (b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50)
    return ['image/webp', 'webp'];
  if (b[0] === 0x42 && b[1] === 0x4d) return ['image/bmp', 'bmp'];
  return ['application/octet-stream', 'bin'];
}

function multipart(image: Uint8Array | ArrayBuffer | Blob, nominal: string): FormData {
  const form = new FormData();
  form.append('nominal', nominal);
  if (typeof Blob !== 'undefined' && image instanceof Blob) {
    form.append('image', image, 'qris' + extensionOf(image.type));
    return form;
  }
  let bytes: Uint8Array<ArrayBuffer>;
  if (image instanceof ArrayBuffer) bytes = new Uint8Array(image);
  else if (ArrayBuffer.isView(image)) bytes = new Uint8Array(image.buffer.slice(image.byteOffset, image.byteOffset + image.byteLength) as ArrayBuffer);
  else throw badOption('image must be a base64 string, a data URL, a Uint8Array, an ArrayBuffer or a Blob.');
  const [type, ext] = uploadTypeOf(bytes);
  form.append('image', new Blob([bytes], { type }), 'qris.' + ext);
  return form;
}

function extensionOf(type: string): string {
  const sub = type.startsWith('image/') ? type.slice(6) : '';
  return sub === 'jpeg' ? '.jpg' : sub !== '' && /^[a-z0-9.+-]+$/.test(sub) ? '.' + sub : '';
}
