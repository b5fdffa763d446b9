/**
 * The one worker-thread pool of the package: `decodeImage` runs its decoding and detection here by
 * default in Node (so a 12 MP photo never stalls the caller's event loop), and `qris serve` runs its
 * image work in pools of the same class. Workers start on demand, run one task at a time under V8
 * `resourceLimits`, are replaced when one dies, overruns its deadline or has done its share, and
 * never keep the process alive while idle (unref'd; ref'd only while a task runs). An optional
 * resident-set guard stops the busy workers when the process passes it: native memory (sharp,
 * WebAssembly) that V8's limits do not count.
 */
import process, { memoryUsage } from 'node:process';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/** What a worker posts back for a task: an answer, or an error to revive on this side. */
export type TaskReply<A> = { readonly ok: true; readonly answer: A } | { readonly ok: false; readonly error: SerializedError };

/** An error as it crosses the thread boundary (a QrisError keeps its code and details). */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly offset?: number;
  readonly tag?: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly candidates?: readonly string[];
}

/** How the pool's own refusals look to its owner (the library: QrisErrors; serve: HTTP errors). */
export interface PoolErrors {
  /** `maxQueue` tasks already wait. */
  busy(waiting: number): Error;
  /** A task ran past `taskTimeoutMs`; its worker was stopped. */
  timeout(ms: number): Error;
  /** A worker ran out of V8 heap, or the process passed `maxRssBytes` while it worked. */
  memory(why: 'heap' | 'rss', limit: number): Error;
  /** An answer that is an error, revived. */
  revive(e: SerializedError): Error;
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
  /** Tasks that may wait for a free worker; one more is `errors.busy`. @default Infinity */
  readonly maxQueue?: number;
  /** A task running longer is abandoned: its worker is terminated and replaced. @default 15000 */
  readonly taskTimeoutMs?: number;
  /** V8 limits of each worker (an out-of-memory worker dies alone). @default DEFAULT_RESOURCE_LIMITS */
  readonly resourceLimits?: ResourceLimits;
  /** Resident set of the process past which the busy workers are stopped and replaced. @default none */
  readonly maxRssBytes?: number;
  readonly errors: PoolErrors;
}

export const DEFAULT_RESOURCE_LIMITS: ResourceLimits = Object.freeze({ maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 });

/** How often the resident-set guard looks while a task runs. */
const RSS_CHECK_MS = 100;

/** A worker's own heap (each worker thread has a V8 heap of its own). */
export interface WorkerMemory {
  readonly heapUsed: number;
  readonly external: number;
}

interface ProbeReply extends WorkerMemory {
  readonly probe: 'memory';
}

interface Job<A> {
  readonly message: unknown;
  readonly transfer: readonly ArrayBuffer[];
  resolve(answer: A): void;
  reject(error: Error): void;
}

interface Slot<A> {
  readonly worker: Worker;
  job: Job<A> | undefined;
  deadline: ReturnType<typeof setTimeout> | undefined;
  tasks: number;
  readonly probes: ((m: WorkerMemory | undefined) => void)[];
}

export class WorkerPool<A> {
  private readonly slots: Slot<A>[] = [];
  private readonly queue: Job<A>[] = [];
  private closed = false;
  private guard: ReturnType<typeof setInterval> | undefined;
  readonly size: number;
  private readonly maxTasksPerWorker: number;
  private readonly maxQueue: number;
  private readonly taskTimeoutMs: number;

  /** `script`: the worker module, or (a string) source code run with `eval` (e.g. a loader bootstrap). */
  constructor(
    private readonly script: URL | string,
    private readonly options: PoolOptions,
  ) {
    this.size = options.size;
    this.maxTasksPerWorker = options.maxTasksPerWorker ?? 2_000;
    this.maxQueue = options.maxQueue ?? Infinity;
    this.taskTimeoutMs = options.taskTimeoutMs ?? 15_000;
  }

  /** Runs `message` in a worker (handing over `transfer`); resolves to its answer. */
  run(message: unknown, transfer: readonly ArrayBuffer[] = []): Promise<A> {
    if (this.closed) return Promise.reject(new Error('The worker pool is closed.'));
    const idle = this.slots.some((s) => s.job === undefined) || this.slots.length < this.size;
    if (!idle && this.queue.length >= this.maxQueue) return Promise.reject(this.options.errors.busy(this.maxQueue));
    return new Promise((resolve, reject) => {
      this.queue.push({ message, transfer, resolve, reject });
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
        if (this.slots.length >= this.size) break;
        slot = this.spawn();
      }
      const job = this.queue.shift()!;
      slot.job = job;
      slot.tasks++;
      slot.worker.ref(); // a task in flight keeps the process alive until it answers
      const running = slot;
      slot.deadline = setTimeout(() => this.overrun(running), this.taskTimeoutMs);
      slot.worker.postMessage(job.message, job.transfer as ArrayBuffer[]);
    }
    this.watchMemory();
  }

  /** Starts the resident-set guard while tasks run; stops it when none does. */
  private watchMemory(): void {
    const limit = this.options.maxRssBytes;
    if (limit === undefined) return;
    const busy = this.slots.some((s) => s.job !== undefined);
    if (busy && !this.guard) {
      this.guard = setInterval(() => {
        if (memoryUsage.rss() <= limit) return;
        for (const slot of this.slots.filter((s) => s.job !== undefined)) {
          const job = slot.job!;
          slot.job = undefined;
          this.retire(slot);
          job.reject(this.options.errors.memory('rss', limit));
        }
        this.pump();
      }, RSS_CHECK_MS);
      this.guard.unref();
    } else if (!busy && this.guard) {
      clearInterval(this.guard);
      this.guard = undefined;
    }
  }

  /** A task past its deadline: its worker is stopped mid-task and a fresh one takes the queue. */
  private overrun(slot: Slot<A>): void {
    const job = slot.job;
    slot.job = undefined;
    this.retire(slot);
    job?.reject(this.options.errors.timeout(this.taskTimeoutMs));
    if (!this.closed) this.pump();
  }

  private spawn(): Slot<A> {
    const execArgv = workerExecArgv(process.execArgv);
    const worker = new Worker(this.script, {
      eval: typeof this.script === 'string',
      ...(execArgv ? { execArgv } : {}),
      workerData: this.options.workerData,
      resourceLimits: this.options.resourceLimits ?? DEFAULT_RESOURCE_LIMITS,
    });
    worker.unref();
    const slot: Slot<A> = { worker, job: undefined, deadline: undefined, tasks: 0, probes: [] };
    worker.on('message', (reply: TaskReply<A> | ProbeReply) => {
      if ('probe' in reply) {
        slot.probes.shift()?.({ heapUsed: reply.heapUsed, external: reply.external });
        return;
      }
      const job = slot.job;
      slot.job = undefined;
      clearTimeout(slot.deadline);
      worker.unref();
      if (job) {
        if (reply.ok) job.resolve(reply.answer);
        else job.reject(this.options.errors.revive(reply.error));
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
      lost(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? this.options.errors.memory('heap', 0) : new Error(`An image worker failed: ${e.message}`)),
    );
    worker.on('exit', (code) => lost(new Error(`An image worker exited with code ${code}.`)));
    this.slots.push(slot);
    return slot;
  }

  /** Stops a worker; `pump` starts a fresh one when needed. */
  private retire(slot: Slot<A>): void {
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
    if (this.guard) clearInterval(this.guard);
    this.guard = undefined;
    for (const job of this.queue.splice(0)) job.reject(new Error('The worker pool is closed.'));
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
    for (const s of slots) {
      clearTimeout(s.deadline);
      s.job?.reject(new Error('The worker pool is closed.'));
      for (const p of s.probes.splice(0)) p(undefined);
    }
  }
}

/**
 * The Node options a worker is started with: `undefined` (Node's own inheritance of the parent's
 * options) unless the parent has `--input-type`, which a worker refuses (it only applies to
 * `--eval` / stdin input). Then only module-loading options are carried over (`--import`,
 * `--require`, loaders, `--conditions`, `--experimental-*`): a worker also refuses V8 and process
 * options such as `--expose-gc`.
 */
export function workerExecArgv(argv: readonly string[]): string[] | undefined {
  if (!argv.some((a) => a === '--input-type' || a.startsWith('--input-type='))) return undefined;
  const withValue = ['--import', '--require', '-r', '--loader', '--experimental-loader', '--conditions', '-C'];
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (withValue.includes(a) && i + 1 < argv.length) out.push(a, argv[++i]!);
    else if (withValue.some((f) => a.startsWith(`${f}=`)) || (a.startsWith('--experimental-') && !a.startsWith('--experimental-default-type'))) out.push(a);
    else if (a === '--input-type') i++; // and its value
  }
  return out;
}

/** An error for the thread boundary: a QrisError keeps its code and details, anything else its name and message. */
export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const q = e as Error & { code?: unknown; offset?: number; tag?: string; expected?: string; actual?: string; candidates?: readonly string[] };
  return {
    name: e.name,
    message: e.message,
    ...(typeof q.code === 'string' ? { code: q.code } : {}),
    ...(q.offset !== undefined ? { offset: q.offset } : {}),
    ...(q.tag !== undefined ? { tag: q.tag } : {}),
    ...(q.expected !== undefined ? { expected: q.expected } : {}),
    ...(q.actual !== undefined ? { actual: q.actual } : {}),
    ...(q.candidates !== undefined ? { candidates: [...q.candidates] } : {}),
  };
}
