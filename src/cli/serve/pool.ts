/**
 * The server's image pools: the package's one worker pool (qris-codec/image's `WorkerPool`, which
 * `decodeImage` uses too) running serve's worker script, with the pool's refusals as HTTP errors: a
 * full queue is a 503, a task past its deadline a 422, a worker out of memory (V8 heap, or the
 * process past its resident-set limit) a 413. Workers never touch the network: URLs are fetched
 * on the main thread, under its own limits.
 */
import { WorkerPool as Pool, type PoolErrors, type PoolOptions as ImagePoolOptions, type WorkerMemory } from '../../image/pool.js';
import { reviveError } from '../../image/thread.js';
import { busy } from './budget.js';
import { HttpError } from './http-error.js';

export { DEFAULT_RESOURCE_LIMITS, type WorkerMemory } from '../../image/pool.js';

/** Encoded image bytes to read a payload from. */
export interface DecodeTask {
  readonly bytes: Uint8Array;
}

/** A payload to draw as a PNG of `size` pixels. */
export interface RenderTask {
  readonly render: string;
  readonly size: number | undefined;
}

/** What serve's worker answers: the payload of a decode, or the PNG of a render. */
export interface WorkerAnswer {
  readonly payload?: string;
  readonly png?: Uint8Array;
}

/**
 * The image pool's options, its refusals excepted (serve's are HTTP errors: a full queue is a 503,
 * a task past `taskTimeoutMs` a 422, past `maxRssBytes` a 413). `maxQueue` defaults to 4 × size.
 */
export type PoolOptions = Omit<ImagePoolOptions, 'errors'>;

const SERVE_ERRORS: PoolErrors = {
  busy: (waiting) => busy(`${waiting} image tasks waiting`),
  timeout: (ms) => new HttpError(422, 'IMAGE_TOO_COMPLEX', `Reading the image took longer than the ${ms} ms limit.`),
  memory: (why, limit) =>
    new HttpError(
      413,
      'IMAGE_TOO_LARGE',
      why === 'heap'
        ? 'Reading the image needed more memory than an image worker may use.'
        : `Reading the image took the server past its memory limit (--max-rss ${Math.round(limit / 2 ** 20)} MB).`,
    ),
  revive: reviveError,
};

export class WorkerPool {
  private readonly pool: Pool<WorkerAnswer>;

  constructor(script: URL, options: PoolOptions) {
    this.pool = new Pool(script, { ...options, maxQueue: options.maxQueue ?? 4 * options.size, errors: SERVE_ERRORS });
  }

  get size(): number {
    return this.pool.size;
  }

  /** Tasks waiting for a free worker. */
  get pending(): number {
    return this.pool.pending;
  }

  /** Decodes in a worker; resolves to the payload text, rejects with the worker's QrisError. */
  async decode(task: DecodeTask): Promise<string> {
    // Copy into a buffer of its own (the body may share a pooled one) and hand it over.
    const copy = new Uint8Array(task.bytes);
    return (await this.pool.run({ bytes: copy }, [copy.buffer])).payload ?? '';
  }

  /** Draws a payload's PNG in a worker. */
  async render(task: RenderTask): Promise<Uint8Array> {
    return (await this.pool.run({ render: task.render, size: task.size })).png ?? new Uint8Array(0);
  }

  /** The heap of each running worker (see the image pool's `memory`). */
  memory(gc = false): Promise<WorkerMemory[]> {
    return this.pool.memory(gc);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
