/**
 * What the page remembers, in localStorage (passed in, so tests use a plain in-memory Storage):
 * the confirmed merchant with its pin, the sales with their status, and the settings. Everything
 * read back is checked again: the merchant must still match its pin and pass checkStaticCode; a
 * sale must have the shape of a record (its payload is re-verified where it is shown).
 *
 * Bound: at most MAX_SALES records (a record is about 0.5 KB, so well under the ~5 MB a browser
 * gives one origin); above it the oldest are dropped, and from WARN_SALES the page asks for an
 * export. localStorage is per origin: http://localhost:8080 and http://127.0.0.1:8080 are two
 * different stores.
 */
import type { Lang } from './i18n.js';
import { asRecord, settleIn, type SaleRecord, type Status } from './ledger.js';
import { checkStaticCode, type Merchant } from './merchant.js';
import { sha256Hex } from './fingerprint.js';
import type { Separator } from './csv.js';
import { QRIS_MAX_PAYMENT } from './sale.js';

const KEY = {
  merchant: 'qris-pos.merchant',
  sales: 'qris-pos.sales',
  lang: 'qris-pos.lang',
  paper: 'qris-pos.paper',
  max: 'qris-pos.max',
  sep: 'qris-pos.csv-sep',
} as const;

/** The list keeps at most this many sales (oldest dropped first): ~3 months at 50 sales a day. */
export const MAX_SALES = 5000;
/** From this many stored sales the page asks the cashier to export and clear old days. */
export const WARN_SALES = 4500;

export type Paper = '58' | '80';

/** Why a stored merchant is not used: unreadable, changed since it was confirmed, or no longer valid. */
export type StoredRefusal = 'STORED_UNREADABLE' | 'STORED_UNPINNED' | 'STORED_CHANGED' | 'STORED_INVALID';

export type Loaded = { readonly ok: true; readonly merchant: Merchant } | { readonly ok: false; readonly code: StoredRefusal };

export class PosStore {
  constructor(private readonly storage: Storage) {}

  /**
   * The saved merchant, re-checked; `null` when none is saved. The payload must hash to the pin
   * kept when the cashier confirmed it: a record edited afterwards (another script of the same
   * origin, a file:// page of the same browser profile) is refused and needs a fresh set-up.
   */
  loadMerchant(): Loaded | null {
    const raw = this.storage.getItem(KEY.merchant);
    if (raw === null) return null;
    const stored = parseJson(raw);
    const payload = stored !== null && typeof stored === 'object' ? (stored as { payload?: unknown }).payload : undefined;
    const pin = stored !== null && typeof stored === 'object' ? (stored as { pin?: unknown }).pin : undefined;
    if (typeof payload !== 'string') return { ok: false, code: 'STORED_UNREADABLE' };
    // Saved by a version of the page before pins: confirmed never, so confirm it once now.
    if (pin === undefined) return { ok: false, code: 'STORED_UNPINNED' };
    if (typeof pin !== 'string' || pin !== sha256Hex(payload)) return { ok: false, code: 'STORED_CHANGED' };
    const checked = checkStaticCode(payload);
    if (!checked.ok || checked.merchant.payload !== payload) return { ok: false, code: 'STORED_INVALID' };
    return { ok: true, merchant: checked.merchant };
  }

  /** Keeps the merchant the cashier confirmed, with its pin. */
  saveMerchant(m: Merchant): void {
    this.storage.setItem(KEY.merchant, JSON.stringify({ payload: m.payload, pin: m.pin, confirmedAt: new Date().toISOString() }));
  }

  forgetMerchant(): void {
    this.storage.removeItem(KEY.merchant);
  }

  /** Every stored record that has the shape of one, oldest first. */
  loadSales(): SaleRecord[] {
    const stored = parseJson(this.storage.getItem(KEY.sales) ?? '[]');
    if (!Array.isArray(stored)) return [];
    const out: SaleRecord[] = [];
    stored.forEach((v, i) => {
      const r = asRecord(v, i);
      if (r) out.push(r);
    });
    return out;
  }

  /** Appends a record; returns how many old ones were dropped to stay within MAX_SALES. Throws on a full quota. */
  addSale(record: SaleRecord): number {
    const sales = this.loadSales();
    if (sales.some((s) => s.id === record.id)) return 0;
    sales.push(record);
    const dropped = Math.max(0, sales.length - MAX_SALES);
    this.storage.setItem(KEY.sales, JSON.stringify(sales.slice(dropped)));
    return dropped;
  }

  /** Moves one record to `to` (if its status allows it); returns the record as stored after. */
  settle(id: string, to: Status, now: Date): SaleRecord | undefined {
    const sales = settleIn(this.loadSales(), id, to, now);
    this.storage.setItem(KEY.sales, JSON.stringify(sales));
    return sales.find((s) => s.id === id);
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

  /** The per-payment maximum, as an amount text (digits): QRIS_MAX_PAYMENT unless changed. */
  maxPayment(): string {
    const v = this.storage.getItem(KEY.max);
    return v !== null && /^[1-9]\d{0,12}$/.test(v) ? v : QRIS_MAX_PAYMENT;
  }

  setMaxPayment(amount: string): void {
    this.storage.setItem(KEY.max, amount);
  }

  separator(): Separator {
    return this.storage.getItem(KEY.sep) === ',' ? ',' : ';';
  }

  setSeparator(sep: Separator): void {
    this.storage.setItem(KEY.sep, sep);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
