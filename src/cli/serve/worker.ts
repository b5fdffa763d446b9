/** Image decoding worker for the server's pool: `{ bytes }` or `{ url }` in, `WorkerReply` out. */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { isQrisError } from '../../errors.js';
import { decodeImageBytes } from '../render.js';
import type { WorkerReply } from './pool.js';

const port = parentPort;
if (!port) throw new Error('worker.js runs as a worker thread.');

const options = (workerData ?? {}) as { maxBytes?: number };

port.on('message', (task: { bytes?: Uint8Array; url?: string; probe?: 'memory'; gc?: boolean }) => {
  if (task.probe === 'memory') {
    if (task.gc === true && typeof globalThis.gc === 'function') globalThis.gc();
    const h = getHeapStatistics();
    port.postMessage({ probe: 'memory', heapUsed: h.used_heap_size, external: h.external_memory });
    return;
  }
  void handle(task).then((reply) => port.postMessage(reply));
});

async function handle(task: { bytes?: Uint8Array; url?: string }): Promise<WorkerReply> {
  try {
    const input = task.bytes ?? task.url ?? '';
    const r = await decodeImageBytes(input, options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {});
    return { ok: true, payload: r.payload };
  } catch (e) {
    if (isQrisError(e)) {
      return {
        ok: false,
        error: { name: 'QrisError', code: e.code, message: e.message, ...(e.offset !== undefined ? { offset: e.offset } : {}), ...(e.tag !== undefined ? { tag: e.tag } : {}) },
      };
    }
    return { ok: false, error: { name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) } };
  }
}
