/**
 * `RemoteError`: every failure of the BAYAR GG client, with a `kind` to branch on. Like ky's
 * `HTTPError` / `TimeoutError`, it carries context (status, server code and message, Retry-After),
 * but never the API key: messages are written here, and whatever the server says is redacted.
 */

/**
 * - `auth`: HTTP 401 or 403 (missing, wrong or unauthorised API key).
 * - `rate_limit`: HTTP 429; `retryAfterMs` holds the server's Retry-After when it sent one.
 * - `timeout`: an attempt took longer than `timeoutMs`.
 * - `network`: the request never got an HTTP response (DNS, refused, reset, CORS).
 * - `unreadable`: a response whose body is not JSON, or JSON without a usable payload, or a body
 *   larger than `maxResponseBytes` (`code: 'RESPONSE_TOO_LARGE'`; the rest is not read).
 * - `server`: HTTP 5xx.
 * - `rejected`: the server refused the request: `success: false` (also with HTTP 200) or another 4xx.
 * - `untrusted`: the server returned a payload that fails the offline checks; it is not returned.
 * - `aborted`: the caller's `AbortSignal` fired.
 */
export type RemoteErrorKind = 'auth' | 'rate_limit' | 'timeout' | 'network' | 'unreadable' | 'server' | 'rejected' | 'untrusted' | 'aborted';

export interface RemoteErrorDetails {
  /** HTTP status of the last response, when there was one. */
  readonly status?: number | undefined;
  /**
   * A machine-readable code: the server's own (`code` / `error_code` in the body, redacted, at most
   * 40 characters) for HTTP and `rejected` errors; `RESPONSE_TOO_LARGE` for a body over the cap;
   * for `untrusted`, the failed check: `NOT_DYNAMIC` (01), `AMOUNT_MISMATCH` (54, or 53 not 360),
   * `MERCHANT_CHANGED` (00-53 but 01, 58-61, 64, or an `expect` field), `FEE_CHANGED` (55-57),
   * `ADDITIONAL_DATA_CHANGED` (62), `PAYLOAD_CHANGED` (65-99), `DUPLICATE_ID`, `KEY_ECHOED`, or a
   * parse error code (`CRC_MISMATCH`, ...).
   */
  readonly code?: string | undefined;
  /** What the server said (`error` or `message`), with the API key redacted, at most 200 characters. */
  readonly serverMessage?: string | undefined;
  /** Milliseconds the server asked us to wait (HTTP `Retry-After`). */
  readonly retryAfterMs?: number | undefined;
  /** Endpoint path, e.g. `/qris-convert.php` (never the full URL). */
  readonly endpoint?: string | undefined;
  /** Requests made before giving up. */
  readonly attempts?: number | undefined;
  /** For `untrusted`: the tag path of the data object concerned, e.g. `"59"`, `"62/01"`. */
  readonly tag?: string | undefined;
  readonly cause?: unknown;
}

/** `RemoteErrorDetails` with only the fields that are set. */
type SetDetails = { -readonly [K in keyof RemoteErrorDetails]?: Exclude<RemoteErrorDetails[K], undefined> };

export interface RemoteErrorJSON {
  name: 'RemoteError';
  kind: RemoteErrorKind;
  message: string;
  status?: number;
  code?: string;
  serverMessage?: string;
  retryAfterMs?: number;
  endpoint?: string;
  attempts?: number;
  tag?: string;
}

export class RemoteError extends Error {
  override readonly name = 'RemoteError';
  readonly kind: RemoteErrorKind;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly serverMessage: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly endpoint: string | undefined;
  readonly attempts: number | undefined;
  readonly tag: string | undefined;

  constructor(kind: RemoteErrorKind, message: string, details: RemoteErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.status = details.status;
    this.code = details.code;
    this.serverMessage = details.serverMessage;
    this.retryAfterMs = details.retryAfterMs;
    this.endpoint = details.endpoint;
    this.attempts = details.attempts;
    this.tag = details.tag;
  }

  /** A copy with more context (the client adds `attempts` and `endpoint` on the way out). */
  with(details: RemoteErrorDetails): RemoteError {
    return new RemoteError(this.kind, this.message, {
      ...this.details(),
      ...details,
      ...(this.cause === undefined ? {} : { cause: this.cause }),
    });
  }

  /** The details that are set (no key holds `undefined`). */
  private details(): SetDetails {
    const d: SetDetails = {};
    if (this.status !== undefined) d.status = this.status;
    if (this.code !== undefined) d.code = this.code;
    if (this.serverMessage !== undefined) d.serverMessage = this.serverMessage;
    if (this.retryAfterMs !== undefined) d.retryAfterMs = this.retryAfterMs;
    if (this.endpoint !== undefined) d.endpoint = this.endpoint;
    if (this.attempts !== undefined) d.attempts = this.attempts;
    if (this.tag !== undefined) d.tag = this.tag;
    return d;
  }

  /** A plain object for logs (`JSON.stringify` drops Error fields otherwise). Never holds the key. */
  toJSON(): RemoteErrorJSON {
    return { name: 'RemoteError', kind: this.kind, message: this.message, ...this.details() };
  }
}

/** True for a `RemoteError`, also across module copies (ESM and CJS builds loaded together). */
export function isRemoteError(value: unknown): value is RemoteError {
  return value instanceof RemoteError || (value instanceof Error && value.name === 'RemoteError' && typeof (value as RemoteError).kind === 'string');
}

/**
 * A copy of `error` with `redactor` applied to everything that may hold server text: message,
 * code, server message, tag; a cause whose message or stack it would change is dropped (stack and
 * `util.inspect` print the cause). The client passes every error through this on the way out.
 */
export function redactError(error: RemoteError, redactor: (text: string) => string): RemoteError {
  const cause = error.cause;
  const keepCause = causeIsClean(cause, redactor);
  const message = redactor(error.message);
  const d = error.toJSON();
  const details: { -readonly [K in keyof RemoteErrorDetails]: RemoteErrorDetails[K] } = {};
  if (d.status !== undefined) details.status = d.status;
  if (d.code !== undefined) details.code = redactor(d.code);
  if (d.serverMessage !== undefined) details.serverMessage = redactor(d.serverMessage);
  if (d.retryAfterMs !== undefined) details.retryAfterMs = d.retryAfterMs;
  if (d.endpoint !== undefined) details.endpoint = d.endpoint;
  if (d.attempts !== undefined) details.attempts = d.attempts;
  if (d.tag !== undefined) details.tag = redactor(d.tag);
  if (keepCause && cause !== undefined) details.cause = cause;
  if (message === error.message && keepCause && details.code === d.code && details.serverMessage === d.serverMessage && details.tag === d.tag) return error;
  return new RemoteError(error.kind, message, details);
}

/** Whether nothing `util.inspect` would print of `cause` (message, stack, own fields, causes) holds the key. */
function causeIsClean(cause: unknown, redactor: (text: string) => string, depth = 0): boolean {
  if (typeof cause === 'string') return redactor(cause) === cause;
  if (!(cause instanceof Error)) return true; // undefined, or a caller's own abort reason
  if (depth >= 4) return false;
  const texts = [String(cause.message), cause.stack ?? ''];
  for (const k of Object.getOwnPropertyNames(cause)) {
    const v = (cause as unknown as Record<string, unknown>)[k];
    if (typeof v === 'string') texts.push(v);
    else if (v instanceof Uint8Array)
      return false; // raw bytes: not worth decoding to find out
    else if (typeof v === 'object' && v !== null && k !== 'cause' && !(v instanceof Error)) return false;
  }
  if (texts.some((t) => redactor(t) !== t)) return false;
  return causeIsClean(cause.cause, redactor, depth + 1);
}

/**
 * A stand-in for a low-level error (fetch's `TypeError: fetch failed` and its causes) that keeps
 * what helps debugging (name, message, `code`, the cause chain, 4 deep) and drops everything else:
 * undici's parser errors carry the raw response bytes in `data`, which `util.inspect` prints and
 * which may hold the echoed key. Messages and codes are redacted and cut.
 */
export function sanitizedCause(e: unknown, redactor: (text: string) => string, depth = 0): Error | undefined {
  if (!(e instanceof Error) || depth >= 4) return undefined;
  const inner = sanitizedCause(e.cause, redactor, depth + 1);
  const copy = new Error(redactor(String(e.message)).slice(0, 200), inner === undefined ? undefined : { cause: inner });
  copy.name = redactor(String(e.name)).slice(0, 40);
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number')
    Object.defineProperty(copy, 'code', { value: redactor(String(code)).slice(0, 40), enumerable: true });
  return copy;
}
