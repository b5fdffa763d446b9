/**
 * A fixed-size pool of worker threads that decode images, so a slow decode (a 12 MP photo takes
 * hundreds of milliseconds) never blocks the server's event loop. Workers start on demand, run one
 * task at a time, and are replaced if one dies; queued tasks wait in order.
 */
import { Worker } from 'node:worker_threads';
import { QrisError, type QrisErrorCode } from '../../errors.js';

export type DecodeTask = { readonly bytes: Uint8Array } | { readonly url: string };

/** What a worker posts back. */
export type WorkerReply =
  | { readonly ok: true; readonly payload: string }
  | { readonly ok: false; readonly error: { name: string; code?: string; message: string; offset?: number; tag?: string } };

interface Job {
  readonly task: DecodeTask;
  resolve(payload: string): void;
  reject(error: Error): void;
}

/** A worker's own heap (each worker thread has a V8 heap of its own). */
export interface WorkerMemory {
  readonly heapUsed: number;
  readonly external: number;
}

/** A memory probe's answer, told apart from task replies by `probe`. */
interface ProbeReply extends WorkerMemory {
  readonly probe: 'memory';
}

interface Slot {
  readonly worker: Worker;
  job: Job | undefined;
  /** Tasks this worker has run. */
  tasks: number;
  /** Memory probes waiting for their answer, in the order they were sent. */
  readonly probes: ((m: WorkerMemory | undefined) => void)[];
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private closed = false;

  constructor(
    private readonly script: URL,
    readonly size: number,
    private readonly workerData: unknown = undefined,
    /**
     * Tasks after which a worker is replaced by a fresh one. Bounds what an image library keeps per
     * call (zxing-wasm 3.1 holds ~0.7 KB of heap per code read, for good) at the cost of a restart.
     */
    private readonly maxTasksPerWorker = 2_000,
  ) {}

  /** Decodes in a worker; resolves to the payload text, rejects with the worker's QrisError. */
  decode(task: DecodeTask): Promise<string> {
    if (this.closed) return Promise.reject(new Error('The worker pool is closed.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.pump();
    });
  }

  /** Tasks waiting for a free worker. */
  get pending(): number {
    return this.queue.length;
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => s.job === undefined);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      const job = this.queue.shift()!;
      slot.job = job;
      slot.tasks++;
      if ('bytes' in job.task) {
        // Copy into a buffer of its own (the body may share a pooled one) and hand it over.
        const copy = new Uint8Array(job.task.bytes);
        slot.worker.postMessage({ bytes: copy }, [copy.buffer]);
      } else {
        slot.worker.postMessage({ url: job.task.url });
      }
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.script, { workerData: this.workerData });
    const slot: Slot = { worker, job: undefined, tasks: 0, probes: [] };
    worker.on('message', (reply: WorkerReply | ProbeReply) => {
      if ('probe' in reply) {
        slot.probes.shift()?.({ heapUsed: reply.heapUsed, external: reply.external });
        return;
      }
      const job = slot.job;
      slot.job = undefined;
      if (job) {
        if (reply.ok) job.resolve(reply.payload);
        else job.reject(revive(reply.error));
      }
      if (slot.tasks >= this.maxTasksPerWorker) this.retire(slot);
      this.pump();
    });
    const lost = (error: Error) => {
      const i = this.slots.indexOf(slot);
      if (i < 0) return;
      this.slots.splice(i, 1);
      slot.job?.reject(error);
      slot.job = undefined;
      for (const p of slot.probes.splice(0)) p(undefined);
      if (!this.closed) this.pump();
    };
    worker.on('error', (e) => lost(new Error(`An image worker failed: ${e.message}`)));
    worker.on('exit', (code) => lost(new Error(`An image worker exited with code ${code}.`)));
    this.slots.push(slot);
    return slot;
  }

  /** Stops an idle worker that has done its share; `pump` starts a fresh one when needed. */
  private retire(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    for (const p of slot.probes.splice(0)) p(undefined);
    void slot.worker.terminate();
  }

  /**
   * The heap of each running worker, after a full GC in it when `gc` is true and the process runs
   * with --expose-gc (what the load benchmark uses to tell growth from garbage).
   */
  async memory(gc = false): Promise<WorkerMemory[]> {
    const answers = await Promise.all(
      this.slots.map(
        (slot) =>
          new Promise<WorkerMemory | undefined>((resolve) => {
            slot.probes.push(resolve);
            slot.worker.postMessage({ probe: 'memory', gc });
          }),
      ),
    );
    return answers.filter((m): m is WorkerMemory => m !== undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('The server is shutting down.'));
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
    for (const s of slots) {
      s.job?.reject(new Error('The server is shutting down.'));
      for (const p of s.probes.splice(0)) p(undefined);
    }
  }
}

function revive(e: { name: string; code?: string; message: string; offset?: number; tag?: string }): Error {
  if (e.name === 'QrisError' && e.code) {
    // The message already carries "(tag ..., offset ...)"; keep it as sent.
    const err = new QrisError(e.code as QrisErrorCode, undefined, {
      ...(e.offset !== undefined ? { offset: e.offset } : {}),
      ...(e.tag !== undefined ? { tag: e.tag } : {}),
    });
    Object.defineProperty(err, 'message', { value: e.message });
    return err;
  }
  return new Error(e.message);
}
