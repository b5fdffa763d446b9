/**
 * A stream read into bytes under a byte cap, shared by the remote client (response bodies) and the
 * image URL fetch: a hostile server can send an endless body, and `arrayBuffer()` would hold all of
 * it. Past the cap the stream is cancelled (nothing more is read) and the caller's error is thrown.
 */

/**
 * The stream's bytes, at most `max`. `tooLarge` makes the error for a larger body. `signal`, when
 * given, cancels the read even with a `fetch` whose stream does not watch the signal itself.
 */
export async function readStreamCapped(stream: ReadableStream<Uint8Array>, max: number, tooLarge: () => Error, signal?: AbortSignal): Promise<Uint8Array> {
  const reader = stream.getReader();
  const onAbort = (): void => void reader.cancel(signal?.reason).catch(() => {});
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}
