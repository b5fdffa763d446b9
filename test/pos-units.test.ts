/**
 * The cashier page's logic without a browser (src/pos minus the DOM): the CSV export, Rupiah input,
 * one sale, the set-up check and the local store. The browser half is test/pos-e2e.test.ts.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { info, toDynamic, validate } from '../src/index.js';
import { csvCell, salesCsv } from '../src/pos/csv.js';
import { checkStaticCode } from '../src/pos/merchant.js';
import { amountFromInput, formatRupiah, groupDigits, liveFormat } from '../src/pos/rupiah.js';
import { makeSale, type Sale, type SaleInput } from '../src/pos/sale.js';
import { MAX_SALES, PosStore, salesOfDay } from '../src/pos/store.js';
import { staticQrisArb } from './arbitraries.js';
import { thrown } from './expect-error.js';

const STATIC = readFileSync(new URL('../fixtures/demo/static-qris.txt', import.meta.url), 'utf8').trim();
const NOW = new Date('2026-12-02T03:04:05Z');
const sale = (over: Partial<SaleInput>): SaleInput => ({ amount: '', billNumber: '', feeKind: 'none', feeValue: '', ...over });

/** RFC 4180 reader, written independently of csv.ts, to read the export back. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        cell += c;
        i++;
      }
    } else if (c === '"') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 2;
    } else {
      cell += c;
      i++;
    }
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

class MemoryStorage implements Storage {
  private readonly map = new Map<string, string>();
  get length(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
  }
  getItem(k: string): string | null {
    return this.map.get(k) ?? null;
  }
  key(i: number): string | null {
    return [...this.map.keys()][i] ?? null;
  }
  removeItem(k: string): void {
    this.map.delete(k);
  }
  setItem(k: string, v: string): void {
    this.map.set(k, String(v));
  }
}

describe('csv', () => {
  it('property: every cell reads back as written, with a leading apostrophe exactly when it starts with = + - @ tab or CR', () => {
    const cellArb = fc.oneof(fc.string(), fc.constantFrom('=1+1', '+62', '-5', '@SUM(A1)', '\tx', '\rx', 'a,"b"\r\nc', "'quoted"));
    fc.assert(
      fc.property(fc.array(fc.array(cellArb, { minLength: 5, maxLength: 5 }), { maxLength: 6 }), (rows) => {
        const sales: Sale[] = rows.map(([time, amount, bill, fee, payload]) => ({
          time: time!,
          amount: amount!,
          billNumber: bill!,
          fee: fee!,
          payload: payload!,
        }));
        const text = salesCsv(sales);
        expect(text.startsWith('\uFEFF')).toBe(true);
        const back = readCsv(text.slice(1));
        expect(back[0]).toEqual(['time', 'amount', 'bill_number', 'fee', 'payload']);
        expect(back.slice(1)).toEqual(rows.map((r) => r.map((c) => (/^[=+\-@\t\r]/.test(c) ? "'" + c : c))));
      }),
    );
  });

  it('quotes only what needs it; a bill number cannot become a formula', () => {
    expect(csvCell('INV-1')).toBe('INV-1');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('a\nb')).toBe('"a\nb"');
  });
});

describe('rupiah', () => {
  const amountArb = fc.bigInt({ min: 1n, max: 10n ** 13n - 1n }).map(String);

  const ok = (text: string) => ({ ok: true, text });

  it('property: a grouped amount reads back as its digits, and typing digits shows them grouped', () => {
    fc.assert(
      fc.property(amountArb, (n) => {
        expect(amountFromInput(groupDigits(n))).toEqual(ok(n));
        expect(amountFromInput(` ${n} `)).toEqual(ok(n));
        expect(amountFromInput(groupDigits(n) + ',5')).toEqual(ok(n + '.5'));
        expect(liveFormat(n)).toBe(groupDigits(n));
        expect(liveFormat(groupDigits(n))).toBe(groupDigits(n));
        expect(groupDigits(n).replace(/\./g, '')).toBe(n);
      }),
    );
  });

  it('property: a dot anywhere but between groups of three is refused, never read as a decimal or dropped', () => {
    const misplaced = fc
      .tuple(fc.stringMatching(/^\d{1,6}$/), fc.stringMatching(/^\d{0,2}$|^\d{4,6}$/))
      .map(([a, b]) => `${a}.${b}`)
      .filter((s) => !/^\d{1,3}\.\d{3}$/.test(s));
    fc.assert(
      fc.property(misplaced, (s) => {
        expect(amountFromInput(s)).toEqual({ ok: false, code: 'AMOUNT_GROUPING' });
      }),
    );
  });

  it('property: text with anything but digits, dots and commas is handed on exactly as typed (no silent fix)', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => /[^\d.,]/.test(s.trim())),
        (s) => {
          expect(amountFromInput(s)).toEqual(ok(s.trim()));
          expect(liveFormat(s)).toBe(s);
        },
      ),
    );
  });

  it('leading zeros stay, so the converter can refuse them', () => {
    expect(liveFormat('0500')).toBe('0500');
    expect(amountFromInput('0500')).toEqual(ok('0500'));
    expect(amountFromInput('0')).toEqual(ok('0'));
    expect(amountFromInput('12,5')).toEqual(ok('12.5'));
    expect(amountFromInput('25.5')).toEqual({ ok: false, code: 'AMOUNT_GROUPING' });
    expect(amountFromInput('2.50')).toEqual({ ok: false, code: 'AMOUNT_GROUPING' });
    expect(amountFromInput('1,000')).toEqual(ok('1.000'));
    expect(formatRupiah('1250000')).toBe('Rp 1.250.000');
    expect(formatRupiah('25000.50')).toBe('Rp 25.000,50');
  });
});

describe('makeSale', () => {
  it('property: the payload is toDynamic of the typed amount, grouped or not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), fc.boolean(), (n, grouped) => {
        const r = makeSale(STATIC, sale({ amount: grouped ? groupDigits(String(n)) : String(n) }), NOW);
        expect(r.ok).toBe(true);
        if (r.ok) {
          expect(r.sale.payload).toBe(toDynamic(STATIC, { amount: String(n) }));
          expect(r.sale.amount).toBe(String(n));
          expect(r.sale.time).toBe(NOW.toISOString());
        }
      }),
      { numRuns: 50 },
    );
  });

  it('bill number and fees go through toDynamic as given', () => {
    const r = makeSale(STATIC, sale({ amount: '15.000', billNumber: 'INV-7', feeKind: 'fixed', feeValue: '1.000' }), NOW);
    expect(r.ok && r.sale.payload).toBe(toDynamic(STATIC, { amount: '15000', billNumber: 'INV-7', fee: { type: 'fixed', value: '1000' } }));
    const p = makeSale(STATIC, sale({ amount: '15000', feeKind: 'percent', feeValue: '2,5' }), NOW);
    expect(p.ok && p.sale.payload).toBe(toDynamic(STATIC, { amount: '15000', fee: { type: 'percent', value: '2.5' } }));
    const t = makeSale(STATIC, sale({ amount: '15000', feeKind: 'prompt' }), NOW);
    expect(t.ok && info(t.sale.payload).tip).toEqual({ type: 'prompt' });
  });

  it('refusals carry the library message unchanged, for the field at fault', () => {
    for (const [amount, lib] of [
      ['0', '0'],
      ['0500', '0500'],
      ['12,5', '12.5'],
      ['-5', '-5'],
      ['1.000.000.000.000.000', '1000000000000000'],
      ['Rp 5', 'Rp 5'],
    ] as const) {
      const r = makeSale(STATIC, sale({ amount }), NOW);
      expect(r).toEqual({ ok: false, code: 'BAD_AMOUNT', message: thrown(() => toDynamic(STATIC, { amount: lib })).message, field: 'amount' });
    }
    expect(makeSale(STATIC, sale({ amount: '' }), NOW)).toMatchObject({ ok: false, code: 'EMPTY_AMOUNT' });
    expect(makeSale(STATIC, sale({ amount: '25.5' }), NOW)).toMatchObject({ ok: false, code: 'AMOUNT_GROUPING', field: 'amount' });
    expect(makeSale(STATIC, sale({ amount: '1', feeKind: 'fixed', feeValue: '1.00' }), NOW)).toMatchObject({
      ok: false,
      code: 'AMOUNT_GROUPING',
      field: 'fee',
    });
    expect(makeSale(STATIC, sale({ amount: '1', feeKind: 'fixed' }), NOW)).toMatchObject({ ok: false, code: 'EMPTY_FEE', field: 'fee' });
    expect(makeSale(STATIC, sale({ amount: '1', feeKind: 'percent', feeValue: '100' }), NOW)).toMatchObject({ ok: false, code: 'BAD_FEE', field: 'fee' });
    const long = 'X'.repeat(26);
    expect(makeSale(STATIC, sale({ amount: '1', billNumber: long }), NOW)).toMatchObject({
      ok: false,
      message: thrown(() => toDynamic(STATIC, { amount: '1', billNumber: long })).message,
      field: 'billNumber',
    });
  });
});

describe('checkStaticCode', () => {
  const corpus = JSON.parse(readFileSync(new URL('../fixtures/dev-payloads.json', import.meta.url), 'utf8')) as { payload: string; kind: string }[];

  it('the real corpus: a valid static code is accepted with its details, everything else is refused with a reason', () => {
    let accepted = 0;
    for (const { payload, kind } of corpus) {
      const r = checkStaticCode(payload, NOW);
      const valid = validate(payload).valid;
      if (r.ok) {
        accepted++;
        expect(valid && kind === 'static').toBe(true);
        const meta = info(payload);
        expect(r.merchant).toMatchObject({ payload, merchantName: meta.merchantName ?? '', merchantCity: meta.merchantCity ?? '', nmid: meta.nmid ?? '' });
      } else {
        expect(r.issues.length).toBeGreaterThan(0);
        if (valid) expect(r.issues[0]!.code).toBe(kind === 'dynamic' ? 'NOT_STATIC' : r.issues[0]!.code);
        for (const i of r.issues) expect(i.message.length).toBeGreaterThan(0);
      }
    }
    expect(accepted).toBeGreaterThan(5);
  });

  it('property: generated static QRIS codes are accepted; their dynamic form is refused as NOT_STATIC', () => {
    fc.assert(
      fc.property(staticQrisArb, (payload) => {
        const r = checkStaticCode(payload, NOW);
        if (!validate(payload).valid) {
          expect(r.ok).toBe(false);
          return;
        }
        expect(r.ok).toBe(true);
        expect(checkStaticCode(toDynamic(payload, { amount: 1 }), NOW)).toMatchObject({ ok: false, issues: [{ code: 'NOT_STATIC' }] });
      }),
      { numRuns: 100 },
    );
  });

  it('a pasted newline is dropped, a broken CRC is refused', () => {
    expect(checkStaticCode(`  ${STATIC}\n`, NOW)).toMatchObject({ ok: true, merchant: { payload: STATIC, acquirer: 'DANA' } });
    expect(checkStaticCode(STATIC.slice(0, -4) + '0000', NOW)).toMatchObject({ ok: false, issues: [{ code: 'CRC_MISMATCH' }] });
    expect(checkStaticCode('', NOW)).toMatchObject({ ok: false, issues: [{ code: 'EMPTY_INPUT' }] });
  });
});

describe('PosStore', () => {
  it('remembers the merchant and re-checks it on load; a tampered one is refused', () => {
    const storage = new MemoryStorage();
    const store = new PosStore(storage);
    expect(store.loadMerchant()).toBeNull();
    const r = checkStaticCode(STATIC, NOW);
    if (!r.ok) throw new Error('fixture refused');
    store.saveMerchant(r.merchant);
    expect(store.loadMerchant()).toEqual({ ok: true, value: r.merchant });
    storage.setItem('qris-pos.merchant', JSON.stringify({ ...r.merchant, payload: STATIC.slice(0, -1) + '8' }));
    expect(store.loadMerchant()).toMatchObject({ ok: false });
    storage.setItem('qris-pos.merchant', '{not json');
    expect(store.loadMerchant()).toMatchObject({ ok: false });
    store.forgetMerchant();
    expect(store.loadMerchant()).toBeNull();
  });

  it('keeps well-formed sales only, at most MAX_SALES, and selects the local day', () => {
    const storage = new MemoryStorage();
    const store = new PosStore(storage);
    storage.setItem('qris-pos.sales', JSON.stringify([{ time: 'x', amount: '1', payload: 'p' }, { time: NOW.toISOString(), amount: 5, payload: 'p' }, null]));
    expect(store.loadSales()).toEqual([]);
    const s: Sale = { time: NOW.toISOString(), amount: '1000', payload: toDynamic(STATIC, { amount: 1000 }) };
    storage.setItem('qris-pos.sales', JSON.stringify(Array.from({ length: MAX_SALES }, () => s)));
    expect(store.addSale({ ...s, amount: '2' })).toBe(1);
    const all = store.loadSales();
    expect(all.length).toBe(MAX_SALES);
    expect(all.at(-1)!.amount).toBe('2');
    const yesterday = { ...s, time: new Date(NOW.getTime() - 86_400_000).toISOString() };
    expect(salesOfDay([yesterday, s], NOW)).toEqual([s]);
    expect(store.lang()).toBe('id');
    store.setLang('en');
    expect(store.lang()).toBe('en');
    expect(store.paper()).toBe('58');
  });
});
