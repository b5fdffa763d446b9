/**
 * Server-wide budgets: bytes of request bodies held in memory and bodies read at once (so 100
 * stalled 10 MiB uploads cannot take a gigabyte), and a limiter for any costly job (URL fetches,
 * PNG renders) with a bound on how many run and how many wait. Over a budget the answer is a 503
 * with Retry-After: the work is refused before it is started, never queued without bound.
 */
import { HttpError } from './http-error.js';

/** A 503 that names the budget hit and asks the client to come back later. */
export function busy(what: string, retryAfterS = 1): HttpError {
  return new HttpError(503, 'SERVER_BUSY', `The server is at its limit of ${what}; retry later.`, { 'retry-after': String(retryAfterS) });
}

/** One body's share of the budget; `release` (idempotent) gives it back. */
export interface BodyTicket {
  /** Counts `n` more buffered bytes; false when that would exceed the global budget. */
  take(n: number): boolean;
  release(): void;
}

/** Bodies that declare at most this many bytes take the small lane (an ordinary JSON call). */
export const SMALL_BODY = 64 * 1024;

/**
 * Two lanes, so big uploads that stall cannot lock out ordinary calls: bodies declaring at most
 * SMALL_BODY bytes are only counted (at most `maxSmallBodies`, so at most that many x 64 KiB held);
 * every other body (large or chunked) shares `maxBytes` and `maxBodies`.
 */
export class BodyBudget {
  private bytes = 0;
  private bodies = 0;
  private small = 0;

  /**
   * @param maxBytes bytes of large or chunked request bodies held at once, over all requests
   * @param maxBodies large or chunked request bodies read at once
   * @param maxSmallBodies small bodies (<= SMALL_BODY declared) read at once
   */
  constructor(
    readonly maxBytes: number,
    readonly maxBodies: number,
    readonly maxSmallBodies = 256,
  ) {}

  /** Bytes currently held, bodies being read (small lane apart). */
  get usage(): { readonly bytes: number; readonly bodies: number; readonly small: number } {
    return { bytes: this.bytes, bodies: this.bodies, small: this.small };
  }

  /** A ticket for one more body, or a 503 when the budget cannot take it (`declared`: Content-Length). */
  admit(declared: number): BodyTicket {
    if (declared > 0 && declared <= SMALL_BODY) {
      if (this.small >= this.maxSmallBodies) throw busy(`${this.maxSmallBodies} small request bodies at once`);
      this.small++;
      let open = true;
      return {
        take: () => open,
        release: () => {
          if (open) this.small--;
          open = false;
        },
      };
    }
    if (this.bodies >= this.maxBodies) throw busy(`${this.maxBodies} request bodies at once`);
    // A declared length is reserved up front: the body will not fit later either.
    if (this.bytes + declared > this.maxBytes) throw busy(`${this.maxBytes} buffered request bytes`);
    this.bodies++;
    let held = 0;
    let open = true;
    return {
      take: (n) => {
        if (!open) return false;
        if (this.bytes + n > this.maxBytes) return false;
        this.bytes += n;
        held += n;
        return true;
      },
      release: () => {
        if (!open) return;
        open = false;
        this.bytes -= held;
        this.bodies--;
      },
    };
  }
}

/** Runs jobs with at most `maxActive` at once and `maxWaiting` queued; more is a 503. */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly what: string,
    readonly maxActive: number,
    readonly maxWaiting: number,
  ) {}

  get usage(): { readonly active: number; readonly waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.active >= this.maxActive) {
      if (this.waiting.length >= this.maxWaiting) throw busy(`${this.maxActive + this.maxWaiting} ${this.what} at once`);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await job();
    } finally {
      // Hand the slot straight to the next waiter (active stays the same), or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
