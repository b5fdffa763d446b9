/**
 * What the page remembers, in localStorage (passed in, so tests use a plain in-memory Storage):
 * the merchant, the sales list, the language and the paper width. Everything read back is checked
 * again: a stored payload goes through checkStaticCode, a sale must have the fields of a Sale.
 */
import { checkStaticCode, type Merchant } from './merchant.js';
import type { Sale } from './sale.js';
import type { Lang } from './i18n.js';

const KEY = {
  merchant: 'qris-pos.merchant',
  sales: 'qris-pos.sales',
  lang: 'qris-pos.lang',
  paper: 'qris-pos.paper',
} as const;

/** The list keeps at most this many sales (oldest dropped first); a day at a busy stall is far below. */
export const MAX_SALES = 5000;

export type Paper = '58' | '80';

export type Loaded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export class PosStore {
  constructor(private readonly storage: Storage) {}

  /** The saved merchant, re-checked; `null` when none is saved. */
  loadMerchant(): Loaded<Merchant> | null {
    const raw = this.storage.getItem(KEY.merchant);
    if (raw === null) return null;
    const stored = parseJson(raw);
    const payload = stored !== null && typeof stored === 'object' ? (stored as { payload?: unknown }).payload : undefined;
    if (typeof payload !== 'string') return { ok: false, reason: 'The saved merchant is unreadable.' };
    const savedAt = (stored as { savedAt?: unknown }).savedAt;
    const checked = checkStaticCode(payload, typeof savedAt === 'string' && !Number.isNaN(Date.parse(savedAt)) ? new Date(savedAt) : new Date());
    if (!checked.ok) return { ok: false, reason: checked.issues.map((i) => i.message).join(' ') };
    return { ok: true, value: checked.merchant };
  }

  saveMerchant(m: Merchant): void {
    this.storage.setItem(KEY.merchant, JSON.stringify(m));
  }

  forgetMerchant(): void {
    this.storage.removeItem(KEY.merchant);
  }

  /** Every stored sale that has the shape of one, oldest first. */
  loadSales(): Sale[] {
    const stored = parseJson(this.storage.getItem(KEY.sales) ?? '[]');
    if (!Array.isArray(stored)) return [];
    return stored.filter(isSale);
  }

  /** Appends a sale; returns how many old sales were dropped to stay within MAX_SALES. */
  addSale(sale: Sale): number {
    const sales = this.loadSales();
    sales.push(sale);
    const dropped = Math.max(0, sales.length - MAX_SALES);
    this.storage.setItem(KEY.sales, JSON.stringify(sales.slice(dropped)));
    return dropped;
  }

  clearSales(): void {
    this.storage.removeItem(KEY.sales);
  }

  lang(): Lang {
    return this.storage.getItem(KEY.lang) === 'en' ? 'en' : 'id';
  }

  setLang(lang: Lang): void {
    this.storage.setItem(KEY.lang, lang);
  }

  paper(): Paper {
    return this.storage.getItem(KEY.paper) === '80' ? '80' : '58';
  }

  setPaper(paper: Paper): void {
    this.storage.setItem(KEY.paper, paper);
  }
}

/** Sales made on the same local calendar day as `now`. */
export function salesOfDay(sales: readonly Sale[], now: Date): Sale[] {
  const day = localDay(now);
  return sales.filter((s) => localDay(new Date(s.time)) === day);
}

function localDay(d: Date): string {
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function isSale(v: unknown): v is Sale {
  if (v === null || typeof v !== 'object') return false;
  const s = v as Record<string, unknown>;
  return (
    typeof s['time'] === 'string' &&
    !Number.isNaN(Date.parse(s['time'])) &&
    typeof s['amount'] === 'string' &&
    typeof s['payload'] === 'string' &&
    (s['billNumber'] === undefined || typeof s['billNumber'] === 'string') &&
    (s['fee'] === undefined || typeof s['fee'] === 'string')
  );
}
