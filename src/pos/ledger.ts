/**
 * The life of a sale, without a DOM: a QR shown is `pending` until the cashier has seen the money
 * arrive in their wallet app (`paid`, "Lunas") or gives up on it (`cancelled`, "Batal"). A record
 * keeps only its id, times, status and payload: amount, fee and merchant are read back from the
 * payload, so an edited record cannot say one thing and charge another. Days are local calendar
 * days, so the list and the totals follow the shop's clock across midnight.
 */
import { feeSen, toSen } from './money.js';
import { readPayment, type Payment } from './payment.js';

export type Status = 'pending' | 'paid' | 'cancelled';

export interface SaleRecord {
  readonly id: string;
  /** ISO 8601 time the QR was made. */
  readonly time: string;
  readonly status: Status;
  /** ISO 8601 time of the last change of status. */
  readonly settledAt?: string;
  readonly payload: string;
}

/** Which status may follow which: a paid sale can still be cancelled (a mistaken "Lunas"). */
export const NEXT: Readonly<Record<Status, readonly Status[]>> = { pending: ['paid', 'cancelled'], paid: ['cancelled'], cancelled: [] };

export function newRecord(id: string, payload: string, now: Date): SaleRecord {
  return { id, time: now.toISOString(), status: 'pending', payload };
}

/** The record moved to `to`, or null when that move is not allowed from its status. */
export function settle(record: SaleRecord, to: Status, now: Date): SaleRecord | null {
  if (!NEXT[record.status].includes(to)) return null;
  return { ...record, status: to, settledAt: now.toISOString() };
}

/** Applies `settle` to the record with `id` in a list; the list unchanged when nothing moves. */
export function settleIn(records: readonly SaleRecord[], id: string, to: Status, now: Date): SaleRecord[] {
  return records.map((r) => (r.id === id ? (settle(r, to, now) ?? r) : r));
}

/** The local calendar day of `d`: "2026-12-02". */
export function dayKey(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Records made on local days `from`..`to` (inclusive, "YYYY-MM-DD"; swapped if reversed), oldest first. */
export function inDays(records: readonly SaleRecord[], from: string, to: string): SaleRecord[] {
  const [a, b] = from <= to ? [from, to] : [to, from];
  return records
    .filter((r) => {
      const day = dayKey(new Date(r.time));
      return day >= a && day <= b;
    })
    .sort((x, y) => Date.parse(x.time) - Date.parse(y.time));
}

/**
 * Pending sales made on days outside `from`..`to` but not before `since`, and the first of those
 * days (null when none). `since` keeps a week, say, in sight without nagging about sales abandoned
 * long ago (or the statusless list of an older version of the page).
 */
export function pendingElsewhere(records: readonly SaleRecord[], from: string, to: string, since: string): { count: number; oldest: string | null } {
  let count = 0;
  let oldest: string | null = null;
  for (const r of records) {
    if (r.status !== 'pending') continue;
    const day = dayKey(new Date(r.time));
    if ((day >= from && day <= to) || day < since) continue;
    count++;
    if (oldest === null || day < oldest) oldest = day;
  }
  return { count, oldest };
}

export interface Totals {
  /** Paid sales and the money they brought, fees included, in sen. */
  readonly paidCount: number;
  readonly paidSen: bigint;
  /** The fees inside `paidSen`. */
  readonly feeSen: bigint;
  /** Paid sales whose payer typed a tip: their tip is not known, only the amount is counted. */
  readonly tipUnknown: number;
  readonly pendingCount: number;
  readonly cancelledCount: number;
  /** Records whose payload is not a readable one-payment QRIS (never counted as money). */
  readonly unreadable: number;
}

/** Money received: paid sales only, fee included, each read from its own payload. */
export function totals(records: readonly SaleRecord[], read: (payload: string) => Payment | null = readPayment): Totals {
  let paidCount = 0;
  let paidSen = 0n;
  let fees = 0n;
  let tipUnknown = 0;
  let pendingCount = 0;
  let cancelledCount = 0;
  let unreadable = 0;
  for (const r of records) {
    if (r.status === 'pending') pendingCount++;
    else if (r.status === 'cancelled') cancelledCount++;
    if (r.status !== 'paid') continue;
    const p = read(r.payload);
    const base = p === null ? null : toSen(p.amount);
    if (p === null || base === null) {
      unreadable++;
      continue;
    }
    const fee = feeSen(p.amount, p.fee);
    if (fee === null) tipUnknown++;
    paidCount++;
    paidSen += base + (fee ?? 0n);
    fees += fee ?? 0n;
  }
  return { paidCount, paidSen, feeSen: fees, tipUnknown, pendingCount, cancelledCount, unreadable };
}

/** A well-formed record, or an old list entry (before sales had a status) made into a pending one. */
export function asRecord(v: unknown, index: number): SaleRecord | null {
  if (v === null || typeof v !== 'object') return null;
  const s = v as Record<string, unknown>;
  if (typeof s['time'] !== 'string' || Number.isNaN(Date.parse(s['time'])) || typeof s['payload'] !== 'string') return null;
  const status = s['status'] === undefined ? 'pending' : s['status'];
  if (status !== 'pending' && status !== 'paid' && status !== 'cancelled') return null;
  const id = typeof s['id'] === 'string' && s['id'] !== '' ? s['id'] : `old-${index}-${s['time']}`;
  const settledAt = typeof s['settledAt'] === 'string' && !Number.isNaN(Date.parse(s['settledAt'])) ? s['settledAt'] : undefined;
  return { id, time: s['time'], status, ...(settledAt !== undefined ? { settledAt } : {}), payload: s['payload'] };
}
