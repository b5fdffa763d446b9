/**
 * The cashier page's rules without a browser (src/pos minus the DOM): amounts as a shop types them,
 * one sale, money and fees, the sale's life and totals, what a QR screen may show, the set-up check
 * and its pin, the CSV as Excel in id-ID reads it, the words, and the local store. The browser half
 * is test/pos-e2e.test.ts, test/pos-misroute.test.ts and test/pos-shop.test.ts.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc16Hex, info, toDynamic, validate } from '../src/index.js';
import { salesCsv, textCell, type CsvWords } from '../src/pos/csv.js';
import { breakdownText, csvName, feeText, totalText } from '../src/pos/display.js';
import { sha256Hex } from '../src/pos/fingerprint.js';
import { explain, hasExplanation, multipleCodesLines, t } from '../src/pos/i18n.js';
import { asRecord, dayKey, inDays, NEXT, newRecord, pendingElsewhere, settle, settleIn, totals, type SaleRecord, type Status } from '../src/pos/ledger.js';
import { candidateCards, checkStaticCode, distinctPaymentCodes, maskedAccount } from '../src/pos/merchant.js';
import { feeSen, payerTotal, senText, toSen } from '../src/pos/money.js';
import { checkPayment, readPayment } from '../src/pos/payment.js';
import { formatRupiah, groupDigits, liveFormat, parseAmount, type AmountRefusal } from '../src/pos/rupiah.js';
import { makeSale, QRIS_MAX_PAYMENT, type SaleInput, type SaleRefusal } from '../src/pos/sale.js';
import { MAX_SALES, PosStore } from '../src/pos/store.js';
import { staticQrisArb } from './arbitraries.js';
import { isFormula, readCsvExcelId } from './pos-browser.js';

const STATIC = readFileSync(new URL('../fixtures/demo/static-qris.txt', import.meta.url), 'utf8').trim();
const corpus = JSON.parse(readFileSync(new URL('../fixtures/dev-payloads.json', import.meta.url), 'utf8')) as { payload: string; kind: string }[];
const OTHER = corpus.find((c) => c.kind === 'static' && validate(c.payload).valid && info(c.payload).merchantName !== info(STATIC).merchantName)!.payload;
const NOW = new Date('2026-12-02T03:04:05Z');
const sale = (over: Partial<SaleInput>): SaleInput => ({ amount: '', billNumber: '', feeKind: 'none', feeValue: '', ...over });
const merchant = (() => {
  const r = checkStaticCode(STATIC);
  if (!r.ok) throw new Error('fixture refused');
  return r.merchant;
})();

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

describe('fingerprint', () => {
  it('property: sha256Hex equals node:crypto SHA-256 of the UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
      }),
      { numRuns: 200 },
    );
  });
});

describe('parseAmount: amounts a shop types', () => {
  const intArb = fc.bigInt({ min: 1n, max: 10n ** 12n });

  it('property: "Rp 25.000", "25.000" and "25000" are the same amount', () => {
    fc.assert(
      fc.property(intArb, fc.constantFrom('', 'Rp ', 'Rp', 'rp. ', 'RP '), fc.boolean(), (n, prefix, grouped) => {
        const digits = String(n);
        expect(parseAmount(prefix + (grouped ? groupDigits(digits) : digits))).toEqual({ ok: true, text: digits });
      }),
    );
  });

  it('property: a decimal comma with one or two digits is cents; more digits are refused', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.integer({ min: 1, max: 99 }), (n, cents) => {
        const c = String(cents).padStart(2, '0');
        expect(parseAmount(`${groupDigits(String(n))},${c}`)).toEqual({ ok: true, text: `${n}.${c.replace(/0$/, '')}` });
        expect(parseAmount(`${n},${c}5`)).toMatchObject({ ok: false });
      }),
    );
  });

  it('property: a dot anywhere but between groups of three is refused, never read as a decimal or dropped', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,6}\.\d{1,6}$/), (s) => {
        const r = parseAmount(s);
        if (/^\d{1,3}\.\d{3}$/.test(s) && !s.startsWith('0')) expect(r).toEqual({ ok: true, text: s.replace('.', '') });
        else expect(r.ok).toBe(false);
      }),
    );
  });

  it('property: any other text is refused with a code that has its own sentence in both languages', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        const r = parseAmount(s);
        if (r.ok) expect(r.text).toMatch(/^[1-9]\d*(\.\d{1,2})?$|^0\.\d{1,2}$/);
        else {
          expect(hasExplanation(r.code)).toBe(true);
          expect(explain('id', r.code)).not.toBe(explain('en', r.code));
        }
      }),
    );
  });

  it('each refusal names its own reason, in Indonesian without developer English', () => {
    const cases: [string, AmountRefusal][] = [
      ['', 'AMOUNT_EMPTY'],
      ['Rp', 'AMOUNT_EMPTY'],
      ['25,000', 'AMOUNT_COMMA_THOUSANDS'],
      ['25.5', 'AMOUNT_GROUPING'],
      ['2.50', 'AMOUNT_GROUPING'],
      ['12,505,5', 'AMOUNT_NOT_NUMBER'],
      ['-5', 'AMOUNT_NEGATIVE'],
      ['abc', 'AMOUNT_NOT_NUMBER'],
      ['0', 'AMOUNT_ZERO'],
      ['0,00', 'AMOUNT_ZERO'],
      ['0500', 'AMOUNT_LEADING_ZERO'],
      ['10.000.000.000.000', 'AMOUNT_TOO_LONG'],
    ];
    const sentences = new Set<string>();
    for (const [typed, code] of cases) {
      expect(parseAmount(typed)).toEqual({ ok: false, code });
      const id = explain('id', code);
      expect(id).not.toMatch(/\b(has|more|than|decimals|amount|must|the)\b/i);
      sentences.add(id);
    }
    expect(sentences.size).toBe(new Set(cases.map((c) => c[1])).size);
    expect(explain('id', 'AMOUNT_COMMA_THOUSANDS')).toContain('25.000');
  });

  it('display helpers: grouping while typing and Rupiah on screen', () => {
    expect(liveFormat('25000')).toBe('25.000');
    expect(liveFormat('0500')).toBe('0500');
    expect(formatRupiah('1250000')).toBe('Rp 1.250.000');
    expect(formatRupiah('25000.5')).toBe('Rp 25.000,5');
  });
});

describe('money', () => {
  it('property: sen round-trip, and the payer total is amount + fee (percent rounded half up to the sen)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 11n }), fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.integer({ min: 1, max: 9999 }), (sen, feeRp, bp) => {
        const amount = senText(sen);
        expect(toSen(amount)).toBe(sen);
        expect(payerTotal(amount, { kind: 'fixed', value: String(feeRp) })).toBe(senText(sen + feeRp * 100n));
        const pct = (bp / 100).toFixed(2).replace(/\.?0+$/, '');
        // Independent: the exact fee is sen*bp/10000 sen; half up.
        const exact = (sen * BigInt(bp) * 2n + 10000n) / 20000n;
        expect(feeSen(amount, { kind: 'percent', value: pct })).toBe(exact);
        expect(payerTotal(amount, { kind: 'prompt' })).toBeNull();
      }),
    );
  });
});

describe('makeSale', () => {
  it('property: the payload is toDynamic of the typed amount, whichever way it is typed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.constantFrom('plain', 'grouped', 'rp'), (n, how) => {
        const typed = how === 'plain' ? String(n) : how === 'grouped' ? groupDigits(String(n)) : `Rp ${groupDigits(String(n))}`;
        const r = makeSale(STATIC, sale({ amount: typed }), QRIS_MAX_PAYMENT);
        expect(r).toEqual({ ok: true, payload: toDynamic(STATIC, { amount: String(n) }) });
      }),
      { numRuns: 60 },
    );
  });

  it('property: the payer total (fee included) never exceeds the maximum; above it the refusal is OVER_MAX', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000_000 }), fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 1000, max: 20_000_000 }), (n, fee, max) => {
        const r = makeSale(STATIC, sale({ amount: String(n), feeKind: fee > 0 ? 'fixed' : 'none', feeValue: String(fee) }), String(max));
        if (n + fee > max) expect(r).toEqual({ ok: false, code: 'OVER_MAX', field: 'amount' });
        else expect(r.ok).toBe(true);
      }),
      { numRuns: 80 },
    );
  });

  it('the default maximum is the QRIS limit of Rp 10.000.000, and its refusal explains it', () => {
    expect(QRIS_MAX_PAYMENT).toBe('10000000');
    expect(makeSale(STATIC, sale({ amount: '10.000.000' }), QRIS_MAX_PAYMENT).ok).toBe(true);
    expect(makeSale(STATIC, sale({ amount: '2.000.000.000' }), QRIS_MAX_PAYMENT)).toMatchObject({ ok: false, code: 'OVER_MAX' });
    expect(makeSale(STATIC, sale({ amount: '9.999.500', feeKind: 'fixed', feeValue: '1.000' }), QRIS_MAX_PAYMENT)).toMatchObject({
      ok: false,
      code: 'OVER_MAX',
    });
    expect(explain('id', 'OVER_MAX', { max: 'Rp 10.000.000' })).toContain('Rp 10.000.000');
  });

  it('bill number and fees go through toDynamic as given', () => {
    const r = makeSale(STATIC, sale({ amount: '15.000', billNumber: 'INV-7', feeKind: 'fixed', feeValue: '1.000' }), QRIS_MAX_PAYMENT);
    expect(r).toEqual({ ok: true, payload: toDynamic(STATIC, { amount: '15000', billNumber: 'INV-7', fee: { type: 'fixed', value: '1000' } }) });
    const p = makeSale(STATIC, sale({ amount: '15000', feeKind: 'percent', feeValue: '2,5' }), QRIS_MAX_PAYMENT);
    expect(p).toEqual({ ok: true, payload: toDynamic(STATIC, { amount: '15000', fee: { type: 'percent', value: '2.5' } }) });
    const tip = makeSale(STATIC, sale({ amount: '15000', feeKind: 'prompt' }), QRIS_MAX_PAYMENT);
    expect(tip.ok && info(tip.payload).tip).toEqual({ type: 'prompt' });
  });

  it('refusals name the field at fault, each with its own sentence', () => {
    const cases: [Partial<SaleInput>, SaleRefusal, string][] = [
      [{ amount: '' }, 'AMOUNT_EMPTY', 'amount'],
      [{ amount: '25,000' }, 'AMOUNT_COMMA_THOUSANDS', 'amount'],
      [{ amount: '1', feeKind: 'fixed' }, 'FEE_EMPTY', 'fee'],
      [{ amount: '1', feeKind: 'fixed', feeValue: '1.00' }, 'FEE_AMOUNT', 'fee'],
      [{ amount: '1', feeKind: 'percent', feeValue: '100' }, 'FEE_PERCENT', 'fee'],
      [{ amount: '1', feeKind: 'percent', feeValue: '0' }, 'FEE_PERCENT', 'fee'],
      [{ amount: '1', billNumber: 'X'.repeat(26) }, 'BILL_TOO_LONG', 'billNumber'],
    ];
    for (const [input, code, field] of cases) {
      expect(makeSale(STATIC, sale(input), QRIS_MAX_PAYMENT)).toEqual({ ok: false, code, field });
      expect(hasExplanation(code)).toBe(true);
    }
  });
});

describe('checkPayment: what a QR screen may show', () => {
  const billArb = fc.stringMatching(/^[A-Za-z0-9-]{0,25}$/);
  const feeArb = fc.oneof(
    fc.constant(undefined),
    fc.constant({ type: 'prompt' as const }),
    fc.integer({ min: 1, max: 99_999 }).map((v) => ({ type: 'fixed' as const, value: String(v) })),
    fc.integer({ min: 1, max: 9_999 }).map((v) => ({ type: 'percent' as const, value: (v / 100).toFixed(2).replace(/\.?0+$/, '') })),
  );

  it("property: the shop's own sales pass, with every detail read from the payload; the same sale of another merchant does not", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), billArb, feeArb, (n, bill, fee) => {
        const opts = { amount: String(n), ...(bill ? { billNumber: bill } : {}), ...(fee ? { fee } : {}) };
        const own = toDynamic(STATIC, opts);
        const r = checkPayment(own, merchant);
        expect(r.ok).toBe(true);
        if (r.ok) {
          expect(r.payment).toMatchObject({
            payload: own,
            amount: String(n),
            billNumber: bill,
            merchantName: merchant.merchantName,
            account: merchant.account,
          });
        }
        expect(checkPayment(toDynamic(OTHER, opts), merchant)).toMatchObject({ ok: false, reason: 'OTHER_MERCHANT' });
      }),
      { numRuns: 60 },
    );
  });

  it('a URL, junk, a broken CRC or a static code is refused', () => {
    expect(checkPayment('https://pay.example/x', merchant)).toEqual({ ok: false, reason: 'INVALID' });
    const d = toDynamic(STATIC, { amount: 1000 });
    expect(checkPayment(d.slice(0, -4) + '0000', merchant)).toEqual({ ok: false, reason: 'INVALID' });
    expect(checkPayment(STATIC, merchant)).toEqual({ ok: false, reason: 'NOT_DYNAMIC' });
    expect(checkPayment(42 as unknown as string, merchant)).toEqual({ ok: false, reason: 'INVALID' });
    expect(readPayment('')).toBeNull();
  });
});

describe('ledger: the life of a sale', () => {
  const statusArb = fc.constantFrom<Status>('pending', 'paid', 'cancelled');

  it('property: a status only moves along NEXT; cancelled is final; settleIn touches only its record', () => {
    fc.assert(
      fc.property(fc.array(statusArb, { maxLength: 8 }), (moves) => {
        let r: SaleRecord = newRecord('a', 'p', NOW);
        const other = newRecord('b', 'q', NOW);
        let cancelled = false;
        for (const to of moves) {
          const next = settle(r, to, NOW);
          if (NEXT[r.status].includes(to)) {
            expect(next).toMatchObject({ status: to, settledAt: NOW.toISOString(), id: 'a', payload: 'p' });
            r = next!;
          } else expect(next).toBeNull();
          expect(settleIn([r, other], 'a', to, NOW)[1]).toBe(other);
          if (cancelled) expect(r.status).toBe('cancelled');
          cancelled ||= r.status === 'cancelled';
        }
      }),
    );
    expect(NEXT.cancelled).toEqual([]);
  });

  it('property: totals count paid sales only, fee included, each read from its own payload', () => {
    const saleArb = fc.record({
      n: fc.integer({ min: 1, max: 1_000_000 }),
      fee: fc.integer({ min: 0, max: 5_000 }),
      status: statusArb,
    });
    fc.assert(
      fc.property(fc.array(saleArb, { maxLength: 12 }), (sales) => {
        const records = sales.map((s, i) => ({
          ...newRecord(String(i), toDynamic(STATIC, { amount: s.n, ...(s.fee > 0 ? { fee: { type: 'fixed' as const, value: s.fee } } : {}) }), NOW),
          status: s.status,
        }));
        const paid = sales.filter((s) => s.status === 'paid');
        const sum = totals(records);
        expect(sum.paidCount).toBe(paid.length);
        expect(sum.paidSen).toBe(BigInt(paid.reduce((a, s) => a + s.n + s.fee, 0)) * 100n);
        expect(sum.feeSen).toBe(BigInt(paid.reduce((a, s) => a + s.fee, 0)) * 100n);
        expect(sum.pendingCount).toBe(sales.filter((s) => s.status === 'pending').length);
        expect(sum.cancelledCount).toBe(sales.filter((s) => s.status === 'cancelled').length);
      }),
      { numRuns: 60 },
    );
  });

  it('a paid record with a broken payload is never money; a payer tip counts its amount and is flagged', () => {
    const broken = { ...newRecord('x', 'https://x', NOW), status: 'paid' as const };
    const tip = { ...newRecord('t', toDynamic(STATIC, { amount: 5000, fee: { type: 'prompt' } }), NOW), status: 'paid' as const };
    expect(totals([broken, tip])).toMatchObject({ paidCount: 1, paidSen: 500000n, unreadable: 1, tipUnknown: 1 });
  });

  it('property: days are local calendar days; a range keeps every day in it, across midnight', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10 * 24 * 60 }), { maxLength: 30 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
        (minutes, a, b) => {
          const base = new Date(2026, 11, 1, 0, 0, 0); // local midnight
          const records = minutes.map((m, i) => newRecord(String(i), 'p', new Date(base.getTime() + m * 60_000)));
          const day = (k: number) => dayKey(new Date(2026, 11, 1 + k, 12));
          const got = inDays(records, day(a), day(b));
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const want = records.filter((r) => {
            const d = new Date(r.time);
            const k = Math.round((new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime() - base.getTime()) / 86_400_000);
            return k >= lo && k <= hi;
          });
          expect(new Set(got.map((r) => r.id))).toEqual(new Set(want.map((r) => r.id)));
          for (let i = 1; i < got.length; i++) expect(Date.parse(got[i]!.time)).toBeGreaterThanOrEqual(Date.parse(got[i - 1]!.time));
        },
      ),
    );
    expect(dayKey(new Date(2026, 11, 2, 23, 59))).toBe('2026-12-02');
    expect(dayKey(new Date(2026, 11, 3, 0, 0))).toBe('2026-12-03');
  });

  it('pending sales outside the days shown are counted, so none is lost from sight at midnight', () => {
    const late = newRecord('late', 'p', new Date(2026, 11, 1, 23, 58));
    const now = newRecord('now', 'p', new Date(2026, 11, 2, 0, 5));
    const paid = { ...newRecord('paid', 'p', new Date(2026, 10, 30, 12)), status: 'paid' as const };
    const old = newRecord('old', 'p', new Date(2026, 10, 1, 9));
    expect(pendingElsewhere([old, late, now, paid], '2026-12-02', '2026-12-02', '2026-11-25')).toEqual({ count: 1, oldest: '2026-12-01' });
    expect(pendingElsewhere([old, late, now, paid], '2026-12-01', '2026-12-02', '2026-11-25')).toEqual({ count: 0, oldest: null });
    expect(pendingElsewhere([old, late, now, paid], '2026-12-02', '2026-12-02', '2026-01-01')).toEqual({ count: 2, oldest: '2026-11-01' });
  });

  it('old list entries (before statuses) become pending records; malformed ones are dropped', () => {
    expect(asRecord({ time: NOW.toISOString(), amount: '1', payload: 'p' }, 3)).toEqual({
      id: `old-3-${NOW.toISOString()}`,
      time: NOW.toISOString(),
      status: 'pending',
      payload: 'p',
    });
    expect(asRecord({ time: 'x', payload: 'p' }, 0)).toBeNull();
    expect(asRecord({ time: NOW.toISOString(), payload: 'p', status: 'refunded' }, 0)).toBeNull();
    expect(asRecord(null, 0)).toBeNull();
  });
});

describe('csv: opens as columns, never as formulas', () => {
  const words: CsvWords = {
    header: ['tanggal', 'jam', 'status', 'jumlah', 'biaya', 'total', 'tagihan', 'toko', 'nmid', 'rekening', 'kode'],
    status: { pending: 'Menunggu', paid: 'Lunas', cancelled: 'Batal' },
    tip: 'tip',
  };
  const nasty = fc.oneof(
    fc.string({ maxLength: 25 }),
    fc.constantFrom('x;=1+1;', '=1+1', '+62', '-5', '@SUM(A1)', ' =1', '\t=1', 'a;-1', 'b,=2', '"q";=1', "'quoted", 'a\r\n=b'),
  );

  it('property: with either separator every text cell reads back as written (a leading apostrophe exactly on formula-like text) and no cell is a formula', () => {
    fc.assert(
      fc.property(nasty, fc.constantFrom<';' | ','>(';', ','), (bill, sep) => {
        const cell = textCell(bill);
        const back = readCsvExcelId(`sep=${sep}\r\n${cell}${sep}x\r\n`);
        expect(back).toEqual([[/^\s*[=+\-@]|^[\t\r\n]/.test(bill) ? "'" + bill : bill, 'x']]);
        expect(isFormula(back[0]![0]!)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('property: a whole export read as Excel id-ID reads it has one column per header, local times, and no formula', () => {
    const billArb = fc.stringMatching(/^[ -~]{0,25}$/).filter((b) => b.trim() === b && b !== '');
    fc.assert(
      fc.property(fc.array(fc.record({ n: fc.integer({ min: 1, max: 99_999 }), bill: fc.option(billArb) }), { maxLength: 5 }), (sales) => {
        const records = sales.flatMap((s, i) => {
          try {
            return [newRecord(String(i), toDynamic(STATIC, { amount: s.n, ...(s.bill ? { billNumber: s.bill } : {}) }), NOW)];
          } catch {
            return [];
          }
        });
        const rows = readCsvExcelId(salesCsv(records, readPayment, words, ';'));
        expect(rows[0]).toEqual([...words.header]);
        for (const row of rows) expect(row.length).toBe(words.header.length);
        expect(rows.flat().filter(isFormula)).toEqual([]);
        rows.slice(1).forEach((row, i) => {
          const d = new Date(records[i]!.time);
          expect(row[0]).toBe(dayKey(d));
          expect(row[1]).toBe(`${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`);
          expect(row[10]).toBe(records[i]!.payload);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('numbers use the decimal mark of the chosen separator', () => {
    const r = [{ ...newRecord('1', toDynamic(STATIC, { amount: '15000', fee: { type: 'percent', value: '2.5' } }), NOW), status: 'paid' as const }];
    expect(readCsvExcelId(salesCsv(r, readPayment, words, ';'))[1]!.slice(3, 6)).toEqual(['15000', '375', '15375']);
    const half = [{ ...newRecord('1', toDynamic(STATIC, { amount: '101', fee: { type: 'percent', value: '0.5' } }), NOW), status: 'paid' as const }];
    expect(readCsvExcelId(salesCsv(half, readPayment, words, ';'))[1]!.slice(3, 6)).toEqual(['101', '0,51', '101,51']);
    expect(salesCsv(half, readPayment, words, ',')).toContain(',0.51,101.51,');
  });
});

describe('set-up: checkStaticCode, the masked account and a photo with several codes', () => {
  it('the real corpus: a valid static code is accepted with its details and pin, everything else is refused with a reason', () => {
    let accepted = 0;
    for (const { payload, kind } of corpus) {
      const r = checkStaticCode(payload);
      const valid = validate(payload).valid;
      if (r.ok) {
        accepted++;
        expect(valid && kind === 'static').toBe(true);
        const meta = info(payload);
        expect(r.merchant).toMatchObject({ payload, merchantName: meta.merchantName ?? '', nmid: meta.nmid ?? '', pin: sha256Hex(payload) });
        expect(r.merchant.account).toMatch(/^$|•••• \w{4}$/);
      } else {
        expect(r.issues.length).toBeGreaterThan(0);
        if (valid) expect(r.issues[0]!.code).toBe(kind === 'dynamic' ? 'NOT_STATIC' : r.issues[0]!.code);
      }
    }
    expect(accepted).toBeGreaterThan(5);
  });

  it('property: generated static codes are accepted; their dynamic form is refused as NOT_STATIC', () => {
    fc.assert(
      fc.property(staticQrisArb, (payload) => {
        const r = checkStaticCode(payload);
        if (!validate(payload).valid) {
          expect(r.ok).toBe(false);
          return;
        }
        expect(r.ok).toBe(true);
        expect(checkStaticCode(toDynamic(payload, { amount: 1 }))).toMatchObject({ ok: false, issues: [{ code: 'NOT_STATIC' }] });
      }),
      { numRuns: 100 },
    );
  });

  it('the masked account shows the NNS and the last four digits: a swapped 26/01 looks different', () => {
    expect(merchant.account).toBe('9360 0915 •••• 1481');
    const pan = info(STATIC).accounts[0]!.pan!;
    const body = STATIC.slice(0, -4).replace(pan, pan.slice(0, -4) + '9999');
    const swapped = checkStaticCode(body + crc16Hex(body));
    expect(swapped.ok && swapped.merchant.account).toBe('9360 0915 •••• 9999');
    expect(swapped.ok && swapped.merchant.pin).not.toBe(merchant.pin);
    expect(maskedAccount({ accounts: [{ tag: '26', acquirer: null, merchantId: '1234567' }] })).toBe('•••• 4567');
  });

  it('IMAGE_MULTIPLE_CODES: every candidate is listed with name, NMID and masked account; odd candidates are handled', () => {
    const cards = candidateCards([STATIC, OTHER, 'junk', 7]);
    expect(cards.slice(2)).toEqual([null, null]);
    const lines = multipleCodesLines('id', cards);
    expect(lines[0]).toMatch(/4 QR pembayaran yang berbeda.*stiker QR kedua.*Tidak ada yang dipasang/);
    expect(lines[1]).toBe(`1. ${merchant.merchantName} · NMID ${merchant.nmid} · Rekening ${merchant.account}`);
    expect(lines[2]).toContain(info(OTHER).merchantName!);
    expect(lines[2]).toContain(info(OTHER).nmid!);
    expect(lines[3]).toBe('3. kode yang tidak terbaca');
    expect(multipleCodesLines('en', cards)[0]).toMatch(/second QR sticker/);
    expect(candidateCards(undefined)).toEqual([]);
    expect(candidateCards('000201')).toEqual([]);
    expect(multipleCodesLines('id', [])[0]).toContain('2 QR');
    // What a camera's BarcodeDetector saw: the same sticker twice is one code, a URL QR is none.
    expect(distinctPaymentCodes([STATIC, ` ${STATIC}\n`, 'https://x.example'])).toEqual([STATIC]);
    expect(distinctPaymentCodes([STATIC, OTHER])).toEqual([STATIC, OTHER]);
  });

  it('a transfer or cash code is refused at set-up, saying why in Indonesian, whatever else it holds', () => {
    const transfer = (
      JSON.parse(readFileSync(new URL('../fixtures/kinds/transfer-examples.json', import.meta.url), 'utf8')) as { samples: { name: string; payload: string }[] }
    ).samples[0]!.payload;
    const t = checkStaticCode(transfer);
    expect(t.ok).toBe(false);
    expect(!t.ok && t.issues.map((i) => i.code)).toEqual(['TRANSFER_CODE']);
    expect(explain('id', 'TRANSFER_CODE')).toContain('QRIS Transfer ke rekening perorangan');
    const body = transfer.slice(0, -4).replace('0804DMCT', '0804CWDL');
    const cash = checkStaticCode(body + crc16Hex(body));
    expect(!cash.ok && cash.issues.map((i) => i.code)).toEqual(['CASH_CODE']);
    expect(explain('en', 'CASH_CODE')).toContain('QRIS Tuntas');
  });

  it('a forged sticker that keeps the last four digits still reads differently: the shown tail grows', () => {
    const pan = info(STATIC).accounts[0]!.pan!;
    const body = STATIC.slice(0, -4).replace(pan, pan.slice(0, -6) + '77' + pan.slice(-4));
    const forged = body + crc16Hex(body);
    const [a, b] = candidateCards([STATIC, forged]);
    expect(a!.account).not.toBe(b!.account);
    // One more digit tells them apart: ...91481 against ...71481.
    expect(a!.account).toBe(`${pan.slice(0, 4)} ${pan.slice(4, 8)} •••• ${pan.slice(-5)}`);
    expect(b!.account).toBe(`${pan.slice(0, 4)} ${pan.slice(4, 8)} •••• 7${pan.slice(-4)}`);
    // Different last four digits: the usual four are enough.
    expect(candidateCards([STATIC, OTHER])[0]!.account).toBe(maskedAccount(info(STATIC)));
  });

  it('words: both languages have every key, and placeholders are filled', () => {
    expect(t('id', 'payerPays', { total: 'Rp 16.000' })).toBe('Pembeli membayar Rp 16.000');
    expect(t('en', 'payerPays', { total: 'Rp 16.000' })).toBe('The payer pays Rp 16.000');
  });
});

describe('display: one wording of a payment for the QR screen, slip, list and CSV', () => {
  it('the headline is what the payer pays; the breakdown names price and fee in the page language', () => {
    const read = (opts: Parameters<typeof toDynamic>[1]) => readPayment(toDynamic(STATIC, opts))!;
    const fixed = read({ amount: 15000, fee: { type: 'fixed', value: 1000 } });
    expect(totalText('id', fixed)).toBe('Rp 16.000');
    expect(breakdownText('id', fixed)).toBe('Harga Rp 15.000 + biaya Rp 1.000');
    expect(breakdownText('en', fixed)).toBe('Price Rp 15.000 + fee Rp 1.000');
    const pct = read({ amount: 15000, fee: { type: 'percent', value: '2.5' } });
    expect(totalText('id', pct)).toBe('Rp 15.375');
    expect(breakdownText('id', pct)).toBe('Harga Rp 15.000 + biaya 2,5% (Rp 375)');
    expect(feeText('en', { kind: 'percent', value: '2.5' })).toBe('2.5%');
    const tip = read({ amount: 5000, fee: { type: 'prompt' } });
    expect(totalText('id', tip)).toBe('Rp 5.000 + tip');
    expect(breakdownText('id', read({ amount: 5000 }))).toBe('');
    expect(csvName('id', '2026-12-02', '2026-12-02')).toBe('qris-penjualan-2026-12-02.csv');
    expect(csvName('en', '2026-12-01', '2026-12-02')).toBe('qris-sales-2026-12-01_2026-12-02.csv');
  });
});

describe('PosStore', () => {
  it('remembers the confirmed merchant with its pin; a payload changed afterwards is refused', () => {
    const storage = new MemoryStorage();
    const store = new PosStore(storage);
    expect(store.loadMerchant()).toBeNull();
    store.saveMerchant(merchant);
    expect(store.loadMerchant()).toEqual({ ok: true, merchant });
    const saved = JSON.parse(storage.getItem('qris-pos.merchant')!) as Record<string, unknown>;
    storage.setItem('qris-pos.merchant', JSON.stringify({ ...saved, payload: OTHER }));
    expect(store.loadMerchant()).toEqual({ ok: false, code: 'STORED_CHANGED' });
    storage.setItem('qris-pos.merchant', JSON.stringify({ payload: STATIC }));
    expect(store.loadMerchant()).toEqual({ ok: false, code: 'STORED_UNPINNED' });
    const broken = STATIC.slice(0, -1) + '0';
    storage.setItem('qris-pos.merchant', JSON.stringify({ payload: broken, pin: sha256Hex(broken) }));
    expect(store.loadMerchant()).toEqual({ ok: false, code: 'STORED_INVALID' });
    storage.setItem('qris-pos.merchant', '{not json');
    expect(store.loadMerchant()).toEqual({ ok: false, code: 'STORED_UNREADABLE' });
    store.forgetMerchant();
    expect(store.loadMerchant()).toBeNull();
    for (const code of ['STORED_CHANGED', 'STORED_UNPINNED', 'STORED_INVALID', 'STORED_UNREADABLE']) expect(hasExplanation(code)).toBe(true);
  });

  it('keeps records, at most MAX_SALES, settles them, and one id is stored once', () => {
    const storage = new MemoryStorage();
    const store = new PosStore(storage);
    storage.setItem('qris-pos.sales', JSON.stringify([{ time: 'x', payload: 'p' }, { time: NOW.toISOString(), amount: '5', payload: 'p' }, null]));
    expect(store.loadSales()).toEqual([{ id: `old-1-${NOW.toISOString()}`, time: NOW.toISOString(), status: 'pending', payload: 'p' }]);
    const r = newRecord('r', toDynamic(STATIC, { amount: 1000 }), NOW);
    storage.setItem('qris-pos.sales', JSON.stringify(Array.from({ length: MAX_SALES }, (_, i) => ({ ...r, id: String(i) }))));
    expect(store.addSale(r)).toBe(1);
    expect(store.addSale(r)).toBe(0); // a second submit of the same record
    const all = store.loadSales();
    expect(all.length).toBe(MAX_SALES);
    expect(all.at(-1)!.id).toBe('r');
    expect(store.settle('r', 'paid', NOW)?.status).toBe('paid');
    expect(store.settle('r', 'pending', NOW)?.status).toBe('paid');
    expect(store.lang()).toBe('id');
    expect(store.paper()).toBe('58');
    expect(store.maxPayment()).toBe('10000000');
    store.setMaxPayment('5000000');
    expect(store.maxPayment()).toBe('5000000');
    storage.setItem('qris-pos.max', '-1');
    expect(store.maxPayment()).toBe('10000000');
    expect(store.separator()).toBe(';');
  });
});
