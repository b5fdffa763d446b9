/**
 * Retry policy and the timing primitives the client needs: backoff with jitter, Retry-After
 * parsing, and a sleep that the caller's signal cancels. No timers outlive an aborted call.
 */
import { RemoteError, type RemoteErrorKind } from './errors.js';

/** Kinds worth another attempt: the request may succeed if repeated. */
const RETRYABLE: ReadonlySet<RemoteErrorKind> = new Set<RemoteErrorKind>(['network', 'rate_limit', 'server']);

/**
 * Whether `error` may be retried. Only network failures, 429 and 5xx: a 4xx, `success: false`,
 * an unreadable 2xx body or an untrusted payload would come back the same.
 * Timeouts are not retried either (like ky): a server slow once is usually slow again, and
 * retrying would multiply the caller's wait by `retries + 1`.
 */
export function isRetryable(error: RemoteError): boolean {
  return RETRYABLE.has(error.kind);
}

/**
 * Delay before retry number `retry` (1-based): `base * 2^(retry-1)`, with "equal jitter" (a random
 * point in its upper half, so concurrent clients spread out but never hammer), capped at `max`.
 */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** (retry - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/**
 * `Retry-After` in milliseconds: delta-seconds (`"3"`, `"1.5"`) or an HTTP date. `undefined` when
 * absent or unreadable. A date in the past gives 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Resolves after `ms`, or rejects with an `aborted` RemoteError as soon as `signal` fires. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortedError(signal: AbortSignal, details: { endpoint?: string; attempts?: number } = {}): RemoteError {
  return new RemoteError('aborted', 'The request was aborted by the caller.', { ...details, cause: signal.reason });
}
