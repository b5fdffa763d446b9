/**
 * The worker of `decodeImage`'s pool (Node): `{ bytes, options }` in, the `decodeImage` result out
 * (plain data, cloned across), or the error serialized. Decodes on this thread (`thread: 'caller'`);
 * never fetches: URLs are read on the calling thread, only bytes come here.
 */
import { parentPort } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { decodeSymbols, type DecodeImageOptions } from './decode.js';
import { serializeError } from './pool.js';

const port = parentPort;
if (!port) throw new Error('image/worker.js runs as a worker thread.');

port.on('message', (task: { bytes?: Uint8Array; options?: DecodeImageOptions; maxSymbols?: number; probe?: 'memory'; gc?: boolean }) => {
  if (task.probe === 'memory') {
    if (task.gc === true && typeof globalThis.gc === 'function') globalThis.gc();
    const h = getHeapStatistics();
    port.postMessage({ probe: 'memory', heapUsed: h.used_heap_size, external: h.external_memory });
    return;
  }
  decodeSymbols(task.bytes ?? new Uint8Array(0), { ...task.options, thread: 'caller' }, task.maxSymbols ?? 8).then(
    (answer) => port.postMessage({ ok: true, answer }),
    (e: unknown) => port.postMessage({ ok: false, error: serializeError(e) }),
  );
});
