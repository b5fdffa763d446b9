/**
 * A fixed-size pool of worker threads that decode images (and draw PNGs), so a slow decode (a 12 MP
 * photo takes hundreds of milliseconds) never blocks the server's event loop. Workers start on
 * demand, run one task at a time under V8 `resourceLimits`, and are replaced if one dies or overruns
 * its deadline; at most `maxQueue` tasks wait, in order, and more are refused with a 503. Workers
 * never touch the network: URLs are fetched on the main thread, under its own limits.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { QrisError, type QrisErrorCode } from '../../errors.js';
import { busy } from './budget.js';
import { HttpError } from './http-error.js';

/** Encoded image bytes to read a payload from. */
export interface DecodeTask {
  readonly bytes: Uint8Array;
}

/** A payload to draw as a PNG of `size` pixels. */
export interface RenderTask {
  readonly render: string;
  readonly size: number | undefined;
}

type Task = DecodeTask | RenderTask;

/** What a worker posts back: the payload of a decode, the PNG of a render, or the error. */
export type WorkerReply =
  | { readonly ok: true; readonly payload?: string; readonly png?: Uint8Array }
  | { readonly ok: false; readonly error: { name: string; code?: string; message: string; offset?: number; tag?: string; candidates?: string[] } };

type Answer = Extract<WorkerReply, { ok: true }>;

interface Job {
  readonly task: Task;
  resolve(answer: Answer): void;
  reject(error: Error): void;
}

export interface PoolOptions {
  /** Worker threads. */
  readonly size: number;
  /** Passed to each worker as `workerData`. */
  readonly workerData?: unknown;
  /**
   * Tasks after which a worker is replaced by a fresh one. Bounds what an image library keeps per
   * call (zxing-wasm 3.1 holds ~0.7 KB of heap per code read, for good) at the cost of a restart.
   * @default 2000
   */
  readonly maxTasksPerWorker?: number;
  /** Tasks that may wait for a free worker; one more is a 503. @default 4 * size */
  readonly maxQueue?: number;
  /** A task running longer is abandoned: its worker is terminated and replaced. @default 15000 */
  readonly taskTimeoutMs?: number;
  /** V8 limits of each worker (an out-of-memory worker dies alone). @default DEFAULT_RESOURCE_LIMITS */
  readonly resourceLimits?: ResourceLimits;
}

export const DEFAULT_RESOURCE_LIMITS: ResourceLimits = Object.freeze({ maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 });

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
  /** The running task's deadline. */
  deadline: ReturnType<typeof setTimeout> | undefined;
  /** Tasks this worker has run. */
  tasks: number;
  /** Memory probes waiting for their answer, in the order they were sent. */
  readonly probes: ((m: WorkerMemory | undefined) => void)[];
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private closed = false;
  readonly size: number;
  private readonly maxTasksPerWorker: number;
  private readonly maxQueue: number;
  private readonly taskTimeoutMs: number;

  constructor(
    private readonly script: URL,
    private readonly options: PoolOptions,
  ) {
    this.size = options.size;
    this.maxTasksPerWorker = options.maxTasksPerWorker ?? 2_000;
    this.maxQueue = options.maxQueue ?? 4 * options.size;
    this.taskTimeoutMs = options.taskTimeoutMs ?? 15_000;
  }

  /** Decodes in a worker; resolves to the payload text, rejects with the worker's QrisError. */
  async decode(task: DecodeTask): Promise<string> {
    return (await this.submit(task)).payload ?? '';
  }

  /** Draws a payload's PNG in a worker. */
  async render(task: RenderTask): Promise<Uint8Array> {
    return (await this.submit(task)).png ?? new Uint8Array(0);
  }

  private submit(task: Task): Promise<Answer> {
    if (this.closed) return Promise.reject(new Error('The worker pool is closed.'));
    const idle = this.slots.some((s) => s.job === undefined) || this.slots.length < this.size;
    if (!idle && this.queue.length >= this.maxQueue) return Promise.reject(busy(`${this.maxQueue} image tasks waiting`));
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
      const running = slot;
      slot.deadline = setTimeout(() => this.overrun(running), this.taskTimeoutMs);
      if ('bytes' in job.task) {
        // Copy into a buffer of its own (the body may share a pooled one) and hand it over.
        const copy = new Uint8Array(job.task.bytes);
        slot.worker.postMessage({ bytes: copy }, [copy.buffer]);
      } else {
        slot.worker.postMessage({ render: job.task.render, size: job.task.size });
      }
    }
  }

  /** A task past its deadline: its worker is stopped mid-task and a fresh one takes the queue. */
  private overrun(slot: Slot): void {
    const job = slot.job;
    slot.job = undefined;
    this.retire(slot);
    job?.reject(new HttpError(422, 'IMAGE_TOO_COMPLEX', `Reading the image took longer than the ${this.taskTimeoutMs} ms limit.`));
    if (!this.closed) this.pump();
  }

  private spawn(): Slot {
    const worker = new Worker(this.script, { workerData: this.options.workerData, resourceLimits: this.options.resourceLimits ?? DEFAULT_RESOURCE_LIMITS });
    const slot: Slot = { worker, job: undefined, deadline: undefined, tasks: 0, probes: [] };
    worker.on('message', (reply: WorkerReply | ProbeReply) => {
      if ('probe' in reply) {
        slot.probes.shift()?.({ heapUsed: reply.heapUsed, external: reply.external });
        return;
      }
      const job = slot.job;
      slot.job = undefined;
      clearTimeout(slot.deadline);
      if (job) {
        if (reply.ok) job.resolve(reply);
        else job.reject(revive(reply.error));
      }
      if (slot.tasks >= this.maxTasksPerWorker) this.retire(slot);
      this.pump();
    });
    const lost = (error: Error) => {
      const i = this.slots.indexOf(slot);
      if (i < 0) return;
      this.slots.splice(i, 1);
      clearTimeout(slot.deadline);
      slot.job?.reject(error);
      slot.job = undefined;
      for (const p of slot.probes.splice(0)) p(undefined);
      if (!this.closed) this.pump();
    };
    worker.on('error', (e: Error & { code?: string }) =>
      lost(
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new HttpError(413, 'IMAGE_TOO_LARGE', 'Reading the image needed more memory than an image worker may use.')
          : new Error(`An image worker failed: ${e.message}`),
      ),
    );
    worker.on('exit', (code) => lost(new Error(`An image worker exited with code ${code}.`)));
    this.slots.push(slot);
    return slot;
  }

  /** Stops an idle worker that has done its share; `pump` starts a fresh one when needed. */
  private retire(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    clearTimeout(slot.deadline);
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
      clearTimeout(s.deadline);
      s.job?.reject(new Error('The server is shutting down.'));
      for (const p of s.probes.splice(0)) p(undefined);
    }
  }
}

function revive(e: { name: string; code?: string; message: string; offset?: number; tag?: string; candidates?: string[] }): Error {
  if (e.name === 'QrisError' && e.code) {
    // The message already carries "(tag ..., offset ...)"; keep it as sent.
    const err = new QrisError(e.code as QrisErrorCode, undefined, {
      ...(e.offset !== undefined ? { offset: e.offset } : {}),
      ...(e.tag !== undefined ? { tag: e.tag } : {}),
      ...(e.candidates !== undefined ? { candidates: e.candidates } : {}),
    });
    Object.defineProperty(err, 'message', { value: e.message });
    return err;
  }
  return new Error(e.message);
}
