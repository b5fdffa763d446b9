/**
 * Image worker for the server's pool: `{ bytes }` in, the decoded payload out; `{ render, size }` in,
 * the PNG out (a `TaskReply` of the image pool). Never fetches anything: URLs are fetched on the
 * main thread. Decodes on this thread (`thread: 'caller'`): it is the worker.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { decodeImageBytes, renderPng } from '../render.js';
import { serializeError, type TaskReply } from '../../image/pool.js';
import type { WorkerAnswer } from './pool.js';

const port = parentPort;
if (!port) throw new Error('worker.js runs as a worker thread.');

const options = (workerData ?? {}) as { maxBytes?: number; maxPixels?: number };
const decodeOptions = {
  thread: 'caller' as const,
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
    if (reply.ok && reply.answer.png) port.postMessage(reply, [reply.answer.png.buffer as ArrayBuffer]);
    else port.postMessage(reply);
  });
});

async function handle(task: Task): Promise<TaskReply<WorkerAnswer>> {
  try {
    if (task.render !== undefined) {
      const png = await renderPng(task.render, task.size !== undefined ? { size: task.size } : {});
      // A view of its own buffer, so it can be transferred rather than copied.
      return { ok: true, answer: { png: png.byteOffset === 0 && png.byteLength === png.buffer.byteLength ? png : png.slice() } };
    }
    const r = await decodeImageBytes(task.bytes ?? new Uint8Array(0), decodeOptions);
    return { ok: true, answer: { payload: r.payload } };
  } catch (e) {
    return { ok: false, error: serializeError(e) };
  }
}
