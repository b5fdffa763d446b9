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
 * - `unreadable`: a response whose body is not JSON, or JSON without a usable payload.
 * - `server`: HTTP 5xx.
 * - `rejected`: the server refused the request: `success: false` (also with HTTP 200) or another 4xx.
 * - `untrusted`: the server returned a payload that fails the offline checks; it is not returned.
 * - `aborted`: the caller's `AbortSignal` fired.
 */
export type RemoteErrorKind = 'auth' | 'rate_limit' | 'timeout' | 'network' | 'unreadable' | 'server' | 'rejected' | 'untrusted' | 'aborted';

export interface RemoteErrorDetails {
  /** HTTP status of the last response, when there was one. */
  readonly status?: number;
  /**
   * A machine-readable code: the server's own (`code` / `error_code` in the body) for HTTP and
   * `rejected` errors; for `untrusted`, the failed check (`CRC_MISMATCH`, `NOT_DYNAMIC`,
   * `AMOUNT_MISMATCH`, `MERCHANT_CHANGED`, `FEE_CHANGED`, or a parse error code).
   */
  readonly code?: string;
  /** What the server said (`error` or `message`), with the API key redacted. */
  readonly serverMessage?: string;
  /** Milliseconds the server asked us to wait (HTTP `Retry-After`). */
  readonly retryAfterMs?: number;
  /** Endpoint path, e.g. `/qris-convert.php` (never the full URL). */
  readonly endpoint?: string;
  /** Requests made before giving up. */
  readonly attempts?: number;
  /** For `untrusted`: the data object concerned, e.g. `"59"`. */
  readonly tag?: string;
  readonly cause?: unknown;
}

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

  private details(): RemoteErrorDetails {
    const d: { -readonly [K in keyof RemoteErrorDetails]: RemoteErrorDetails[K] } = {};
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
    return { name: 'RemoteError', kind: this.kind, message: this.message, ...this.details() } as RemoteErrorJSON;
  }
}

/** True for a `RemoteError`, also across module copies (ESM and CJS builds loaded together). */
export function isRemoteError(value: unknown): value is RemoteError {
  return value instanceof RemoteError || (value instanceof Error && value.name === 'RemoteError' && typeof (value as RemoteError).kind === 'string');
}

/** Replaces every occurrence of `secret` in `text` (servers sometimes echo the key back). */
export function redact(text: string, secret: string): string {
  if (secret.length === 0 || !text.includes(secret)) return text;
  return text.split(secret).join('[redacted]');
}
