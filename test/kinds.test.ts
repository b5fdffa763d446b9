/**
 * Code kinds (digest "Code kinds"): payment, transfer, cash withdrawal, cash deposit. The digest's
 * transfer examples (fixtures/kinds/transfer-examples.json) for info, validate and toDynamic; an
 * amount put on an amountless transfer checked against an independent expectation (54 inserted
 * after 53, CRC recomputed by the reference CRC, every other character byte-identical); fees refused;
 * build of a transfer; and the property that the kind is a function of root 40 and 62/08 only.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { build, info, KIND_WORDS, kindOf, parse, QRIS_PAYMENT_LIMIT, toDynamic, validate } from '../src/index.js';
import type { CodeKind } from '../src/index.js';
import examples from '../fixtures/kinds/transfer-examples.json' with { type: 'json' };
import { thrown } from './expect-error.js';
import { crcRef, encodePayload, safeAsciiArb, digitsArb, splitRef, type Obj } from './qris-arbitraries.js';

const RUNS = { numRuns: 200 };
const byName = (name: string) => examples.samples.find((s) => s.name === name)!.payload;
const T1 = byName('T1');
const SHOPEE = byName('ShopeePay-shaped masked transfer');
const BCA_STALE = byName('BCA transfer (stale CRC)');
/** A payload with its CRC recomputed by the reference CRC. */
const recrc = (p: string) => p.slice(0, -4) + crcRef(p.slice(0, -4));

/** The independent expectation: 54 (ID, 2-digit length, amount) inserted right after 53, CRC recomputed. */
function expectedWithAmount(payload: string, amount: string): string {
  const body = payload.slice(0, -4); // up to and including "6304"
  let at = 0;
  for (const n of splitRef(body.slice(0, -4))) {
    at += 4 + n.value.length;
    if (n.id === '53') break;
  }
  const head = body.slice(0, at) + '54' + String(amount.length).padStart(2, '0') + amount + body.slice(at);
  return head + crcRef(head);
}

describe("the digest's transfer examples", () => {
  it('T1 (AstraPay DMCT): kind transfer, the transfer details, no issue at all (no DYNAMIC_WITHOUT_AMOUNT)', () => {
    const i = info(T1);
    expect(i.kind).toBe('transfer');
    expect(i.transfer).toEqual({
      institution: 'AstraPay',
      guid: 'ID.CO.ASTRAPAY.WWW',
      pan: '9360082230002001355',
      nns: '93600822',
      beneficiaryId: '200135',
      purpose: 'DMCT',
      purposeName: 'domestic transfer',
      uniqueData: 'TG0H0C8UCRIWF0NZAC12QWXC',
    });
    expect(validate(T1)).toEqual({ valid: true, profile: 'qris', kind: 'transfer', issues: [] });
    expect(KIND_WORDS[i.kind]).toBe('a transfer to a person, not a shop');
  });

  it('the ShopeePay-shaped code: a transfer; its 62/99 (35 zeros) breaks the 62/99 rows, nothing says DYNAMIC_WITHOUT_AMOUNT', () => {
    expect(info(SHOPEE).kind).toBe('transfer');
    expect(info(SHOPEE).transfer).toMatchObject({ guid: 'ID.CO.SHOPEE.WWW', nns: '00000000', institution: null, purpose: 'DMCT' });
    const codes = validate(SHOPEE).issues.map((i) => `${i.code}@${i.tag}`);
    expect(codes).toEqual(['QRIS_BAD_NNS@40/01', 'MISSING_GUID@62/99/00', 'MISSING_TAG@62/99/01', 'TEMPLATE_NOT_TLV@62/99']);
  });

  it("ast's BCA transfer fixture has a stale CRC: CRC_MISMATCH (declared 1376, content AE71), from parse, validate and toDynamic", () => {
    expect(thrown(() => parse(BCA_STALE))).toMatchObject({ code: 'CRC_MISMATCH', expected: 'AE71', actual: '1376' });
    expect(validate(BCA_STALE).issues.map((i) => i.code)).toEqual(['CRC_MISMATCH']);
    expect(thrown(() => toDynamic(BCA_STALE, { amount: 1000, replaceAmount: true })).code).toBe('CRC_MISMATCH');
    // info reads it all the same, and says the CRC is wrong.
    expect(info(parse(BCA_STALE, { verifyCrc: false }))).toMatchObject({ kind: 'transfer', crc: { valid: false, computed: 'AE71' } });
  });

  // The BCA fixture with each purpose code, CRC recomputed.
  const PURPOSES: readonly (readonly [purpose: string, kind: CodeKind])[] = [
    ['DMCT', 'transfer'],
    ['BOOK', 'transfer'],
    ['XBCT', 'transfer'],
    ['CWDL', 'cash-withdrawal'],
    ['CDPT', 'cash-deposit'],
    ['POSP', 'payment'],
    ['PYMT', 'payment'],
  ];
  it.each(PURPOSES)('62/08 %s: info().kind is %s, validate agrees; with 54 the code validates (bar the purpose row for PYMT)', (purpose, kind) => {
    const p = recrc(BCA_STALE.replace('0804DMCT', '0804' + purpose));
    expect(info(p).kind).toBe(kind);
    const r = validate(p);
    expect(r.kind).toBe(kind);
    expect(r.issues.map((i) => i.code)).toEqual(purpose === 'PYMT' ? ['TRANSFER_BAD_PURPOSE'] : []);
    if (kind !== 'payment') expect(info(p).transfer).toMatchObject({ pan: '936000141517031392', institution: 'Bank BCA', purpose });
    else expect(info(p).transfer).toBeUndefined();
  });

  it.each(PURPOSES.filter(([, k]) => k !== 'payment'))('62/08 %s without 54: no DYNAMIC_WITHOUT_AMOUNT (the sender types the amount)', (purpose) => {
    const p = recrc(BCA_STALE.replace('0804DMCT', '0804' + purpose).replace('54041000', ''));
    expect(validate(p).issues).toEqual([]);
  });

  it('a payment code that is dynamic without 54 still gets DYNAMIC_WITHOUT_AMOUNT', () => {
    const p = recrc(BCA_STALE.replace('0804DMCT', '0804POSP').replace('54041000', ''));
    expect(validate(p).issues.map((i) => i.code)).toEqual(['DYNAMIC_WITHOUT_AMOUNT']);
  });
});

describe('toDynamic on transfer and cash codes', () => {
  it('T1 (amountless, already 12): 54 inserted after 53, CRC recomputed, all else byte-identical', () => {
    const out = toDynamic(T1, { amount: 150000 });
    expect(out).toBe(expectedWithAmount(T1, '150000'));
    expect(info(out)).toMatchObject({ kind: 'transfer', amount: { text: '150000' }, pointOfInitiation: '12' });
    expect(validate(out).issues).toEqual([]);
  });

  it('the amountless cash withdrawal and deposit take an amount the same way', () => {
    for (const purpose of ['CWDL', 'CDPT']) {
      const p = recrc(BCA_STALE.replace('0804DMCT', '0804' + purpose).replace('54041000', ''));
      expect(toDynamic(p, { amount: '50000.00', decimals: 2 })).toBe(expectedWithAmount(p, '50000.00'));
      expect(toDynamic(p, { amount: 50000 })).toBe(expectedWithAmount(p, '50000'));
    }
  });

  it('a transfer that already has 54: ALREADY_DYNAMIC unless replaceAmount', () => {
    const p = recrc(BCA_STALE);
    expect(thrown(() => toDynamic(p, { amount: 5 }))).toMatchObject({ code: 'ALREADY_DYNAMIC', tag: '01' });
    expect(info(toDynamic(p, { amount: 5, replaceAmount: true })).amount?.text).toBe('5');
  });

  it('an amountless dynamic payment code is still refused with ALREADY_DYNAMIC', () => {
    const p = recrc(BCA_STALE.replace('0804DMCT', '0804POSP').replace('54041000', ''));
    expect(thrown(() => toDynamic(p, { amount: 5 }))).toMatchObject({ code: 'ALREADY_DYNAMIC', tag: '01', offset: 6 });
  });

  it('fees are refused on a transfer: TRANSFER_FEE (tag 55), every fee type, with or without replaceAmount', () => {
    for (const fee of [{ type: 'prompt' }, { type: 'fixed', value: 1000 }, { type: 'percent', value: 2.5 }] as const) {
      const e = thrown(() => toDynamic(T1, { amount: 1000, fee }));
      expect(e).toMatchObject({ code: 'TRANSFER_FEE', tag: '55' });
      expect(e.message).toContain('transfer');
      expect(thrown(() => toDynamic(recrc(BCA_STALE), { amount: 1000, fee, replaceAmount: true })).code).toBe('TRANSFER_FEE');
    }
  });

  it('a broken transfer is reported as broken first (CRC_MISMATCH before TRANSFER_FEE)', () => {
    expect(thrown(() => toDynamic(BCA_STALE, { amount: 1000, fee: { type: 'prompt' } })).code).toBe('CRC_MISMATCH');
  });

  it('maxAmount still applies (BAD_AMOUNT); the payment limit is a warning on payments only', () => {
    expect(thrown(() => toDynamic(T1, { amount: 20_000_000, maxAmount: QRIS_PAYMENT_LIMIT })).code).toBe('BAD_AMOUNT');
    expect(validate(toDynamic(T1, { amount: 20_000_000 })).issues).toEqual([]);
  });

  /** Transfer codes of many shapes: 59/60/61 text, PAN, beneficiary, unique data, purpose, optional BIC. */
  const transferArb = fc
    .record({
      purpose: fc.constantFrom('BOOK', 'DMCT', 'XBCT', 'CWDL', 'CDPT'),
      pan: digitsArb(16, 19).map((d) => '93600822' + d.slice(8)),
      beneficiary: safeAsciiArb(1, 15),
      bic: fc.option(fc.constantFrom('CENAIDJA', 'BRINIDJA', 'BMRIIDJA'), { nil: undefined }),
      unique: safeAsciiArb(8, 60),
      name: safeAsciiArb(1, 25),
      city: safeAsciiArb(1, 15),
      postal: fc.option(digitsArb(5, 5), { nil: undefined }),
      label: fc.option(safeAsciiArb(1, 10), { nil: undefined }),
    })
    .map((f): string => {
      const account: Obj[] = [
        { id: '00', value: 'ID.CO.ASTRAPAY.WWW' },
        { id: '01', value: f.pan },
        { id: '02', value: f.beneficiary },
      ];
      if (f.bic) account.push({ id: '04', value: f.bic });
      const extra: Obj[] = [];
      if (f.label) extra.push({ id: '07', value: f.label });
      extra.push({ id: '08', value: f.purpose });
      if (f.unique.length <= 99 - 8 - 8 - (f.label ? f.label.length + 4 : 0))
        extra.push({
          id: '99',
          children: [
            { id: '00', value: '00' },
            { id: '01', value: f.unique.slice(0, 40) },
          ],
        });
      const nodes: Obj[] = [
        { id: '00', value: '01' },
        { id: '01', value: '12' },
        { id: '40', children: account },
        { id: '52', value: '4829' },
        { id: '53', value: '360' },
        { id: '58', value: 'ID' },
        { id: '59', value: f.name },
        { id: '60', value: f.city },
      ];
      if (f.postal) nodes.push({ id: '61', value: f.postal });
      nodes.push({ id: '62', children: extra });
      return encodePayload(nodes);
    });
  const amountArb = fc.oneof(
    fc.integer({ min: 1, max: 999_999_999 }).map(String),
    fc.tuple(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 1, max: 99 })).map(([a, b]) => `${a}.${String(b).padStart(2, '0')}`),
  );

  it('property: on any amountless transfer or cash code, toDynamic = 54 inserted after 53 + CRC recomputed, every other character byte-identical', () => {
    fc.assert(
      fc.property(transferArb, amountArb, (p, amount) => {
        expect(toDynamic(p, amount.includes('.') ? { amount, decimals: 2 } : { amount })).toBe(expectedWithAmount(p, amount));
      }),
      RUNS,
    );
  });

  it('property: a fee on any transfer is TRANSFER_FEE; on a cash code it is accepted', () => {
    fc.assert(
      fc.property(transferArb, (p) => {
        const kind = info(p).kind;
        const run = () => toDynamic(p, { amount: 1000, fee: { type: 'prompt' } });
        if (kind === 'transfer') expect(thrown(run).code).toBe('TRANSFER_FEE');
        else expect(info(run()).tipIndicator).toBe('01');
      }),
      RUNS,
    );
  });
});

describe('build a transfer', () => {
  const transfer = { guid: 'ID.CO.ASTRAPAY.WWW', pan: '9360082230002001355', beneficiaryId: '200135', uniqueData: 'TG0H0C8UCRIWF0NZAC12QWXC' };
  const fields = { merchantName: 'Budi Santoso', merchantCity: 'Jakarta Pusat', postalCode: '10220', accounts: [], transfer };

  it('writes 40, 52 = 4829, 01 = 12 without an amount, 62/08 (DMCT by default) and 62/99; it validates with no issue', () => {
    const p = build(fields);
    expect(validate(p)).toEqual({ valid: true, profile: 'qris', kind: 'transfer', issues: [] });
    expect(info(p)).toMatchObject({ kind: 'transfer', mcc: '4829', pointOfInitiation: '12', transfer: { ...transfer, purpose: 'DMCT', nns: '93600822' } });
    expect(info(p).national).toBeUndefined();
  });

  it('with an amount, a BIC and purpose BOOK; toDynamic on the amountless one gives the same code', () => {
    const p = build({ ...fields, transfer: { ...transfer, purpose: 'BOOK', bic: 'CENAIDJA' }, amount: 75000 });
    expect(info(p)).toMatchObject({ kind: 'transfer', amount: { text: '75000' }, transfer: { bic: 'CENAIDJA', purpose: 'BOOK' } });
    expect(toDynamic(build({ ...fields, transfer: { ...transfer, purpose: 'BOOK', bic: 'CENAIDJA' } }), { amount: 75000 })).toBe(p);
  });

  it('a fee is TRANSFER_FEE; a bad purpose, a payment MCC or a long beneficiary ID is BAD_FIELD naming the object', () => {
    expect(thrown(() => build({ ...fields, fee: { type: 'prompt' } }))).toMatchObject({ code: 'TRANSFER_FEE', tag: '55' });
    expect(thrown(() => build({ ...fields, transfer: { ...transfer, purpose: 'CWDL' as 'BOOK' } }))).toMatchObject({ code: 'BAD_FIELD', tag: '62/08' });
    expect(thrown(() => build({ ...fields, mcc: '5812' }))).toMatchObject({ code: 'BAD_FIELD', tag: '52' });
    expect(thrown(() => build({ ...fields, transfer: null as unknown as typeof transfer }))).toMatchObject({ code: 'BAD_FIELD', tag: '40' });
    expect(thrown(() => build({ ...fields, additionalData: { purpose: 'X' } }))).toMatchObject({ code: 'BAD_FIELD', tag: '62/08' });
  });

  it('a payment build without accounts is still refused', () => {
    expect(thrown(() => build({ merchantName: 'A', merchantCity: 'B', mcc: '5812', accounts: [] }))).toMatchObject({ code: 'BAD_FIELD', tag: '26' });
  });
});

describe('property: the kind is a function of root 40 and 62/08 only', () => {
  const purposeArb = fc.option(fc.oneof(fc.constantFrom('BOOK', 'DMCT', 'XBCT', 'CWDL', 'CDPT', 'POSP', 'BILL', 'book', 'DMCT ', 'PYMT'), safeAsciiArb(1, 8)), {
    nil: undefined,
  });
  /** Everything else a code carries: 01, 52, 54, 59, other 62 objects, a merchant account at 26, a 51. */
  const noiseArb = fc.record({
    poi: fc.constantFrom('11', '12', null),
    mcc: fc.constantFrom('4829', '5812', '0000'),
    amount: fc.option(fc.constantFrom('1000', '25000000', '5.5'), { nil: undefined }),
    name: safeAsciiArb(1, 25),
    label: fc.option(safeAsciiArb(1, 10), { nil: undefined }),
    merchant: fc.boolean(),
    national: fc.boolean(),
    account40: fc.constantFrom('transfer', 'merchant'),
  });
  type Noise = typeof noiseArb extends fc.Arbitrary<infer T> ? T : never;
  /** The independent expectation, written from the digest's detection rule. */
  const expected = (has40: boolean, purpose: string | undefined): CodeKind =>
    purpose === 'CWDL'
      ? 'cash-withdrawal'
      : purpose === 'CDPT'
        ? 'cash-deposit'
        : has40 && ['BOOK', 'DMCT', 'XBCT'].includes(purpose ?? '')
          ? 'transfer'
          : 'payment';

  function payload(has40: boolean, purpose: string | undefined, n: Noise): string {
    const nodes: Obj[] = [{ id: '00', value: '01' }];
    if (n.poi) nodes.push({ id: '01', value: n.poi });
    if (n.merchant)
      nodes.push({
        id: '26',
        children: [
          { id: '00', value: 'ID.CO.BCA.WWW' },
          { id: '01', value: '936000140001287667' },
        ],
      });
    if (has40)
      nodes.push({
        id: '40',
        children:
          n.account40 === 'transfer'
            ? [
                { id: '00', value: 'ID.CO.BCA.WWW' },
                { id: '01', value: '9360001415170313920' },
                { id: '02', value: 'X' },
              ]
            : [{ id: '00', value: 'COM.GO-JEK.WWW' }],
      });
    if (n.national) nodes.push({ id: '51', children: [{ id: '00', value: 'ID.CO.QRIS.WWW' }] });
    nodes.push({ id: '52', value: n.mcc }, { id: '53', value: '360' });
    if (n.amount) nodes.push({ id: '54', value: n.amount });
    nodes.push({ id: '58', value: 'ID' }, { id: '59', value: n.name }, { id: '60', value: 'Jakarta' });
    const extra: Obj[] = [];
    if (n.label) extra.push({ id: '07', value: n.label });
    if (purpose !== undefined) extra.push({ id: '08', value: purpose });
    if (extra.length > 0) nodes.push({ id: '62', children: extra });
    return encodePayload(nodes);
  }

  it('info().kind and validate().kind equal the digest rule for (40 present, 62/08), whatever else the code holds', () => {
    fc.assert(
      fc.property(fc.boolean(), purposeArb, noiseArb, noiseArb, (has40, purpose, a, b) => {
        const want = expected(has40, purpose);
        for (const n of [a, b]) {
          const p = payload(has40, purpose, n);
          expect(info(p).kind).toBe(want);
          expect(validate(p).kind).toBe(want);
        }
        expect(kindOf(has40, purpose)).toBe(want);
      }),
      RUNS,
    );
  });
});
