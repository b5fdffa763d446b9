/**
 * Server-wide budgets: bytes of request bodies held in memory, bodies read at once (over all
 * clients and per client address), and a limiter for any costly job (URL fetches, PNG renders)
 * with a bound on how many run and how many wait. Over a budget the answer is a 503 (429 for one
 * address over its share) with Retry-After: the work is refused before it is started, never queued
 * without bound. A slot held by a body arriving below the minimum rate is not a slot kept: when a
 * budget is full, the body furthest behind that rate is cut (408) to make room.
 */
import { parseIPv6 } from '../../image/address-guard.js';
import { HttpError } from './http-error.js';

/** A 503 that names the budget hit and asks the client to come back later. */
export function busy(what: string, retryAfterS = 1): HttpError {
  return new HttpError(503, 'SERVER_BUSY', `The server is at its limit of ${what}; retry later.`, { 'retry-after': String(retryAfterS) });
}

/** One body's share of the budget; `release` (idempotent) gives it back. */
export interface BodyTicket {
  /** Counts `n` more bytes read (and buffered); false when that would exceed a budget. */
  take(n: number): boolean;
  release(): void;
}

/** Bodies that declare at most this many bytes take the small lane (an ordinary JSON call). */
export const SMALL_BODY = 64 * 1024;

/**
 * How far (in time at the minimum rate) a body may fall behind before another body may take its
 * slot. Small lane: long enough for the bytes right after the headers, short enough that a lane
 * held by clients that send nothing is freed at once (an ordinary call arrives in milliseconds).
 * Large lane: an upload over a poor link may hover near the rate; cutting it at the first dip
 * would only make it start over, and a client that reconnects at once would cut another.
 */
export const EVICT_SLACK_SMALL_MS = 100;
export const EVICT_SLACK_LARGE_MS = 2_000;

export interface BodyBudgetOptions {
  /** Bytes of large or chunked request bodies held at once, over all requests. */
  readonly maxBytes: number;
  /** Large or chunked request bodies read at once. */
  readonly maxBodies: number;
  /** Small bodies (declared <= SMALL_BODY) read at once. @default 256 */
  readonly maxSmallBodies?: number;
  /** Bodies read at once from one client address (an IPv6 /64 counts as one). @default 16 */
  readonly maxPerAddress?: number;
  /**
   * Apply `maxPerAddress` to loopback clients too. Off by default: on loopback the client is this
   * host, usually a reverse proxy speaking for every real client (which must enforce its own cap).
   * @default false
   */
  readonly capLoopback?: boolean;
  /** Bytes per second below which a body may be cut to make room. @default 1024 */
  readonly minRate?: number;
}

/** Counters since the server started (for logs, tests and the load bench). */
export interface BodyStats {
  /** Bodies cut to make room because they arrived below the minimum rate. */
  evicted: number;
  /** Bodies refused because their address had `maxPerAddress` bodies in flight. */
  perAddressRefused: number;
  /** Bodies refused because a global budget was full and no body was behind the rate. */
  refused: number;
}

interface Entry {
  readonly address: string;
  readonly started: number;
  small: boolean;
  /** Bytes read so far (the rate) and bytes held in the large lane's byte budget. */
  read: number;
  held: number;
  open: boolean;
  readonly evict: () => void;
}

/** The key a client address is counted under: the address, or its /64 for IPv6. */
export function addressKey(remote: string | undefined): string {
  if (remote === undefined || remote === '') return '?';
  const a = remote.startsWith('::ffff:') && remote.includes('.') ? remote.slice(7) : remote;
  if (!a.includes(':') || a === '::1') return a;
  const g = parseIPv6(a);
  // One customer usually holds a whole /64: counting single IPv6 addresses would be no cap at all.
  return g === undefined
    ? a
    : g
        .slice(0, 4)
        .map((x) => x.toString(16))
        .join(':') + '::/64';
}

function isLoopback(key: string): boolean {
  return key.startsWith('127.') || key === '::1';
}

/**
 * Two lanes, so big uploads cannot lock out ordinary calls: bodies declaring at most SMALL_BODY
 * bytes are only counted (at most `maxSmallBodies`, so at most that many x 64 KiB held); every
 * other body shares `maxBytes` and `maxBodies`. A chunked body starts in the small lane and moves
 * to the large one once it passes SMALL_BODY. Over every lane, one address has `maxPerAddress`.
 */
export class BodyBudget {
  readonly maxBytes: number;
  readonly maxBodies: number;
  readonly maxSmallBodies: number;
  readonly maxPerAddress: number;
  readonly minRate: number;
  readonly capLoopback: boolean;
  readonly stats: BodyStats = { evicted: 0, perAddressRefused: 0, refused: 0 };
  private bytes = 0;
  private bodies = 0;
  private small = 0;
  /** Bodies in flight, oldest first (Set keeps insertion order). */
  private readonly entries = new Set<Entry>();
  private readonly perAddress = new Map<string, number>();

  constructor(o: BodyBudgetOptions) {
    this.maxBytes = o.maxBytes;
    this.maxBodies = o.maxBodies;
    this.maxSmallBodies = o.maxSmallBodies ?? 256;
    this.maxPerAddress = o.maxPerAddress ?? 16;
    this.minRate = o.minRate ?? 1024;
    this.capLoopback = o.capLoopback ?? false;
  }

  /** Bytes currently held, bodies being read (small lane apart). */
  get usage(): { readonly bytes: number; readonly bodies: number; readonly small: number; readonly addresses: number } {
    return { bytes: this.bytes, bodies: this.bodies, small: this.small, addresses: this.perAddress.size };
  }

  /** Bodies in flight from `address` (as given to `admit`). */
  inFlight(address: string): number {
    return this.perAddress.get(addressKey(address)) ?? 0;
  }

  /**
   * A ticket for one more body, or an HttpError: 429 when its address has `maxPerAddress` bodies in
   * flight, 503 when a lane is full; in both cases only after trying to cut a body that is behind
   * the minimum rate. `declared` is the Content-Length (0 for chunked); `evict` is called (once)
   * when this body is cut to make room, after its share was given back.
   */
  admit(declared: number, address: string, evict: () => void): BodyTicket {
    const key = addressKey(address);
    const now = performance.now();
    const capped = this.capLoopback || !isLoopback(key);
    if (capped && (this.perAddress.get(key) ?? 0) >= this.maxPerAddress && !this.evictOne(now, (e) => e.address === key)) {
      this.stats.perAddressRefused++;
      throw new HttpError(429, 'TOO_MANY_BODIES', `This address is already sending ${this.maxPerAddress} request bodies; retry later.`, {
        'retry-after': '1',
      });
    }
    const small = declared > 0 && declared <= SMALL_BODY;
    if (small || declared === 0) {
      if (this.small >= this.maxSmallBodies && !this.evictOne(now, (e) => e.small)) {
        this.stats.refused++;
        throw busy(`${this.maxSmallBodies} small request bodies at once`);
      }
    } else {
      this.makeLargeRoom(declared, now);
    }
    const entry: Entry = { address: key, started: now, small: small || declared === 0, read: 0, held: 0, open: true, evict };
    if (entry.small) this.small++;
    else {
      this.bodies++;
      // A declared length is reserved whole, up front: the body will not fit later either.
      this.bytes += declared;
      entry.held = declared;
    }
    this.entries.add(entry);
    this.perAddress.set(key, (this.perAddress.get(key) ?? 0) + 1);
    const chunked = declared === 0;
    return {
      take: (n) => {
        if (!entry.open) return false;
        entry.read += n;
        if (!chunked) return true;
        if (entry.small) {
          if (entry.read <= SMALL_BODY) return true;
          // Past the small lane's size: it needs a large slot and its bytes from now on.
          try {
            this.makeLargeRoom(entry.read, performance.now(), entry);
          } catch {
            return false;
          }
          entry.small = false;
          this.small--;
          this.bodies++;
          this.bytes += entry.read;
          entry.held = entry.read;
          return true;
        }
        if (this.bytes + n > this.maxBytes) return false;
        this.bytes += n;
        entry.held += n;
        return true;
      },
      release: () => this.drop(entry),
    };
  }

  /** Makes room in the large lane for `bytes` more, cutting bodies behind the rate; else a 503. */
  private makeLargeRoom(bytes: number, now: number, self?: Entry): void {
    while (this.bodies >= this.maxBodies) {
      if (!this.evictOne(now, (e) => !e.small && e !== self)) {
        this.stats.refused++;
        throw busy(`${this.maxBodies} request bodies at once`);
      }
    }
    while (this.bytes + bytes > this.maxBytes) {
      if (!this.evictOne(now, (e) => !e.small && e.held > 0 && e !== self)) {
        this.stats.refused++;
        throw busy(`${this.maxBytes} buffered request bytes`);
      }
    }
  }

  /** Cuts the body furthest behind the minimum rate among those `which` accepts; false if none is. */
  private evictOne(now: number, which: (e: Entry) => boolean): boolean {
    let worst: Entry | undefined;
    let worstDeficit = 0;
    for (const e of this.entries) {
      if (!which(e)) continue;
      const deficit = (this.minRate * (now - e.started - (e.small ? EVICT_SLACK_SMALL_MS : EVICT_SLACK_LARGE_MS))) / 1000 - e.read;
      if (deficit > worstDeficit) {
        worst = e;
        worstDeficit = deficit;
      }
    }
    if (worst === undefined) return false;
    this.drop(worst);
    this.stats.evicted++;
    worst.evict();
    return true;
  }

  private drop(e: Entry): void {
    if (!e.open) return;
    e.open = false;
    this.entries.delete(e);
    if (e.small) this.small--;
    else {
      this.bodies--;
      this.bytes -= e.held;
    }
    const n = (this.perAddress.get(e.address) ?? 1) - 1;
    if (n === 0) this.perAddress.delete(e.address);
    else this.perAddress.set(e.address, n);
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
