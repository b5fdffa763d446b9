/**
 * Reading a response body with a byte cap: a hostile or broken server can send an endless body,
 * and `res.text()` would hold all of it. The body is streamed; past the cap the stream is cancelled
 * (the connection is dropped, nothing more is read) and a RemoteError names the limit.
 */
import { RemoteError } from './errors.js';

function tooLarge(max: number, declared?: number): RemoteError {
  const said = declared === undefined ? '' : ` (Content-Length: ${declared})`;
  return new RemoteError('unreadable', `BAYAR GG sent a response body over the ${max}-byte limit (maxResponseBytes)${said}; the rest was not read.`, {
    code: 'RESPONSE_TOO_LARGE',
  });
}

/**
 * The body as UTF-8 text, at most `max` bytes. `signal` (the attempt's timeout and the caller's
 * abort) cancels the read even with a `fetch` whose stream does not watch the signal itself.
 */
export async function readCapped(res: Response, max: number, signal: AbortSignal): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    void res.body?.cancel().catch(() => {});
    throw tooLarge(max, declared);
  }
  const stream = res.body;
  if (stream === null) return '';
  const reader = stream.getReader();
  const onAbort = (): void => void reader.cancel(signal.reason).catch(() => {});
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        await reader.cancel().catch(() => {});
        throw tooLarge(max);
      }
      chunks.push(value);
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
