/**
 * Reading a response body with a byte cap: a hostile or broken server can send an endless body,
 * and `res.text()` would hold all of it. The body is streamed; past the cap the stream is cancelled
 * (the connection is dropped, nothing more is read) and a RemoteError names the limit.
 */
import { readStreamCapped } from '../io/read-capped.js';
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
  return new TextDecoder().decode(await readStreamCapped(stream, max, () => tooLarge(max), signal));
}
