/**
 * Image worker for the server's pool: `{ bytes }` in, the decoded payload out; `{ render, size }` in,
 * the PNG out (as a `WorkerReply`). Never fetches anything: URLs are fetched on the main thread.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { isQrisError } from '../../errors.js';
import { decodeImageBytes, renderPng } from '../render.js';
import type { WorkerReply } from './pool.js';

const port = parentPort;
if (!port) throw new Error('worker.js runs as a worker thread.');

const options = (workerData ?? {}) as { maxBytes?: number; maxPixels?: number };
const decodeOptions = {
  ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
  ...(options.maxPixels !== undefined ? { maxPixels: options.maxPixels } : {}),
};

interface Task {
  bytes?: Uint8Array;
  render?: string;
  size?: number;
  probe?: 'memory';
  gc?: boolean;
}

port.on('message', (task: Task) => {
  if (task.probe === 'memory') {
    if (task.gc === true && typeof globalThis.gc === 'function') globalThis.gc();
    const h = getHeapStatistics();
    port.postMessage({ probe: 'memory', heapUsed: h.used_heap_size, external: h.external_memory });
    return;
  }
  void handle(task).then((reply) => {
    if (reply.ok && reply.png) port.postMessage(reply, [reply.png.buffer as ArrayBuffer]);
    else port.postMessage(reply);
  });
});

async function handle(task: Task): Promise<WorkerReply> {
  try {
    if (task.render !== undefined) {
      const png = await renderPng(task.render, task.size !== undefined ? { size: task.size } : {});
      // A view of its own buffer, so it can be transferred rather than copied.
      return { ok: true, png: png.byteOffset === 0 && png.byteLength === png.buffer.byteLength ? png : png.slice() };
    }
    const r = await decodeImageBytes(task.bytes ?? new Uint8Array(0), decodeOptions);
    return { ok: true, payload: r.payload };
  } catch (e) {
    if (isQrisError(e)) {
      return {
        ok: false,
        error: {
          name: 'QrisError',
          code: e.code,
          message: e.message,
          ...(e.offset !== undefined ? { offset: e.offset } : {}),
          ...(e.tag !== undefined ? { tag: e.tag } : {}),
          ...(e.candidates !== undefined ? { candidates: [...e.candidates] } : {}),
        },
      };
    }
    return { ok: false, error: { name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) } };
  }
}
