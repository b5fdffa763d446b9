/**
 * toDynamic / toStatic. Expectations come from the spec digest, written by hand as payload text or
 * computed by the independent helpers in qris-arbitraries.ts (reference splitter, reference CRC,
 * reference model of the conversion); never by the converter itself.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { info, parse, toDynamic, toStatic } from '../src/index.js';
import type { ToDynamicOptions } from '../src/index.js';
import corpus from '../fixtures/dev-payloads.json' with { type: 'json' };
import {
  amountCaseArb,
  cps,
  crcOk,
  crcRef,
  encodeRef,
  type ExtrasCase,
  extrasArb,
  type FeeCase,
  feeCaseArb,
  modelToDynamic,
  type RefNode,
  splitRef,
  safeAsciiArb,
  staticCaseArb,
} from './qris-arbitraries.js';
import { codeOf, thrown } from './expect-error.js';
import { tlv as t, withCrc } from './arbitraries.js';
import { findPayload } from './corpus-find.js';

const RUNS = { numRuns: 200 };

/** A 62 label value: 1-12 printable ASCII characters without the edge cases of a TLV header. */
const safeValueArb = safeAsciiArb(1, 12);

// ---- helpers -------------------------------------------------------------------------------------

/** One data object, length in code points. */

/** Appends 6304 and the reference CRC. */

/** A payload with its CRC replaced by a different (wrong) one. */
function breakCrc(payload: string): string {
  const good = payload.slice(-4);
  return payload.slice(0, -4) + (good === '0000' ? '1111' : '0000');
}

/** Root objects by the reference splitter, 63 checked last and removed. */
function root(payload: string): RefNode[] {
  const nodes = splitRef(payload);
  expect(nodes.at(-1)?.id).toBe('63');
  expect(nodes[0]).toEqual({ id: '00', value: '01' });
  return nodes.slice(0, -1);
}

const get = (nodes: readonly RefNode[], id: string): string | undefined => nodes.find((n) => n.id === id)?.value;

/**
 * The checks every toDynamic output must pass: valid reference CRC, parses, 01 = 12, 54 = amount,
 * and every root object other than 01, 54, 55-57, 62 (only when extras were asked for) and 63 is
 * unchanged and in the same relative order.
 */
function checkDynamic(input: string, out: string, amount: string, extrasAsked: boolean): void {
  expect(crcOk(out)).toBe(true);
  expect(out.slice(-8, -4)).toBe('6304');
  expect(() => parse(out)).not.toThrow();
  const before = root(input);
  const after = root(out);
  expect(get(after, '01')).toBe('12');
  expect(get(after, '54')).toBe(amount);
  const changeable = new Set(['01', '54', '55', '56', '57', ...(extrasAsked ? ['62'] : [])]);
  const kept = (nodes: readonly RefNode[]) => nodes.filter((n) => !changeable.has(n.id));
  expect(kept(after)).toEqual(kept(before));
  expect(new Set(after.map((n) => n.id)).size).toBe(after.length);
}

function extrasOptions(extras: ExtrasCase): Partial<ToDynamicOptions> {
  const o: { billNumber?: string; referenceLabel?: string; terminalLabel?: string } = {};
  if (extras.billNumber !== undefined) o.billNumber = extras.billNumber;
  if (extras.referenceLabel !== undefined) o.referenceLabel = extras.referenceLabel;
  if (extras.terminalLabel !== undefined) o.terminalLabel = extras.terminalLabel;
  return o;
}

const hasExtras = (e: ExtrasCase): boolean => e.billNumber !== undefined || e.referenceLabel !== undefined || e.terminalLabel !== undefined;

/** A conversion request: amount, optional fee, optional 62 edits. */
const requestArb = amountCaseArb.chain((amount) =>
  fc.record({
    amount: fc.constant(amount),
    fee: fc.option(feeCaseArb(amount.decimals), { nil: undefined, freq: 3 }),
    extras: fc.oneof({ arbitrary: fc.constant<ExtrasCase>({}), weight: 2 }, { arbitrary: extrasArb, weight: 1 }),
  }),
);

function optionsOf(r: { amount: { input: number | string; decimals: 0 | 2 | undefined }; fee: FeeCase | undefined; extras: ExtrasCase }): ToDynamicOptions {
  const o: Record<string, unknown> = { amount: r.amount.input, ...extrasOptions(r.extras) };
  if (r.amount.decimals !== undefined) o.decimals = r.amount.decimals;
  if (r.fee !== undefined) o.fee = r.fee.option;
  return o as unknown as ToDynamicOptions;
}

/** Converts and compares against the reference model (or the error it predicts). */
function checkAgainstModel(
  payload: string,
  nodes: readonly RefNode[],
  r: { amount: { input: number | string; decimals: 0 | 2 | undefined; expected: string }; fee: FeeCase | undefined; extras: ExtrasCase },
): void {
  const model = modelToDynamic(nodes, r.amount.expected, r.fee, r.extras);
  if (!model.ok) {
    expect(codeOf(() => toDynamic(payload, optionsOf(r)))).toBe(model.code);
    return;
  }
  const out = toDynamic(payload, optionsOf(r));
  expect(out).toBe(encodeRef(model.nodes));
  checkDynamic(payload, out, r.amount.expected, hasExtras(r.extras));
  if (r.fee !== undefined) {
    // The fee objects asked for are in the output, exactly.
    for (const f of r.fee.objects) expect(get(root(out), f.id)).toBe(f.value);
  }
}

// ---- corpus --------------------------------------------------------------------------------------

type Entry = (typeof corpus)[number];
const entries: readonly Entry[] = corpus;

const staticId = entries.filter((e) => e.crc_valid && e.country === 'ID' && e.kind === 'static');
const dynamicId = entries.filter((e) => e.crc_valid && e.country === 'ID' && e.kind === 'dynamic');

/** BCA GREEN PAW (static, 62 = 07 A01, no 55), reassembled from pieces for readable expectations. */
const GREEN = findPayload('GREEN PAW');
const G_ACCOUNTS = '26650013ID.CO.BCA.WWW011893600014000128766702150008850012876670303UKE51440014ID.CO.QRIS.WWW0215ID10210818616060303UKE';
const G_TAIL = '5802ID5909GREEN PAW6007TANGSEL61051532362070703A01';
/** GREEN PAW with 01 (`poi`), then `afterCurrency` inserted after 53, then the tail. */
const green = (poi: string, afterCurrency: string, tail = G_TAIL): string => withCrc(`000201${poi}${G_ACCOUNTS}520407425303360${afterCurrency}${tail}`);

describe('toDynamic on the real corpus', () => {
  it('the corpus holds 24 CRC-valid static and 10 CRC-valid dynamic Indonesian entries', () => {
    expect(staticId).toHaveLength(24);
    expect(dynamicId).toHaveLength(10);
    for (const e of staticId) expect(e.payload.startsWith('000201010211')).toBe(true);
  });

  it('the readable GREEN PAW helper reproduces the real payload exactly', () => {
    expect(green('010211', '')).toBe(GREEN);
  });

  it.each(staticId.map((e) => [e.payload.slice(e.payload.indexOf('5802ID') + 10, e.payload.indexOf('5802ID') + 30), e.payload] as const))(
    'static entry %s: 25000 and 39000.00 give 01 = 12, 54 after 53, nothing else changed (reference model)',
    (_name, payload) => {
      const nodes = root(payload);
      for (const [opts, amount] of [
        [{ amount: 25000 }, '25000'],
        [{ amount: '39000', decimals: 2 }, '39000.00'],
      ] as const) {
        const out = toDynamic(payload, opts);
        checkDynamic(payload, out, amount, false);
        const model = modelToDynamic(nodes, amount, undefined, {});
        expect(model.ok).toBe(true);
        if (model.ok) expect(out).toBe(encodeRef(model.nodes));
        // 54 sits right after 53, as the spec digest says.
        const after = root(out);
        expect(after[after.findIndex((n) => n.id === '53') + 1]).toEqual({ id: '54', value: amount });
      }
    },
  );

  it('property: every static Indonesian corpus entry converts like the reference model (amounts, fees, 62 edits)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...staticId.map((e) => e.payload)), requestArb, (payload, r) => {
        checkAgainstModel(payload, root(payload), r);
      }),
      RUNS,
    );
  });

  it('every dynamic Indonesian payment code in the corpus is refused with ALREADY_DYNAMIC (tag 01, offset 6); the amountless transfer is not', () => {
    const transfers = dynamicId.filter((e) => info(e.payload).kind === 'transfer');
    expect(transfers).toHaveLength(1); // the ShopeePay DMCT code
    for (const e of transfers) expect(info(toDynamic(e.payload, { amount: 1000 })).amount?.text).toBe('1000');
    for (const e of dynamicId.filter((x) => !transfers.includes(x))) {
      const err = thrown(() => toDynamic(e.payload, { amount: 1000 }));
      expect(err.code).toBe('ALREADY_DYNAMIC');
      expect(err.tag).toBe('01');
      expect(err.offset).toBe(6);
    }
  });

  it('structurally broken corpus entries are refused with their structural error, not converted', () => {
    expect(codeOf(() => toDynamic(findPayload('Yann%20Store'), { amount: 1000 }))).toBe('BAD_ID');
    expect(codeOf(() => toDynamic(findPayload('AYAM JUKUT CABE IJO'), { amount: 1000 }))).toBe('CRC_MISSING');
    expect(codeOf(() => toDynamic(findPayload('KOMA MINIMAL'), { amount: 1000 }))).toBe('BAD_LENGTH');
    expect(codeOf(() => toDynamic(findPayload('MASJID JABAL ARAFAH'), { amount: 1000 }))).toBe('TRUNCATED');
    const banrisul = thrown(() => toDynamic(findPayload('banrisul'), { amount: 1000 }));
    expect({ code: banrisul.code, expected: banrisul.expected, actual: banrisul.actual, tag: banrisul.tag }).toEqual({
      code: 'CRC_MISMATCH',
      expected: 'DAA5',
      actual: 'DAA6',
      tag: '63',
    });
  });
});

// ---- generated payloads --------------------------------------------------------------------------

describe('toDynamic on generated static payloads', () => {
  it('property: output has a valid CRC, parses, 01 = 12, 54 = amount, only 01/54/55-57/62/63 differ, and equals the reference model', () => {
    fc.assert(
      fc.property(staticCaseArb({ with01: 'sometimes', with53: 'sometimes' }), requestArb, (c, r) => {
        checkAgainstModel(c.payload, c.nodes, r);
      }),
      RUNS,
    );
  });

  it('property: toStatic(toDynamic(x)) === x for static x without fees (removeFees undoes an added fee)', () => {
    fc.assert(
      fc.property(staticCaseArb({ existingFee: false }), amountCaseArb, fc.option(feeCaseArb(undefined), { nil: undefined }), (c, a, fee) => {
        const opts: Record<string, unknown> = { amount: a.input };
        if (a.decimals !== undefined) opts.decimals = a.decimals;
        if (fee) opts.fee = fee.option;
        if (!modelToDynamic(c.nodes, a.expected, fee, {}).ok) return; // too long to convert
        const dyn = toDynamic(c.payload, opts as unknown as ToDynamicOptions);
        expect(toStatic(dyn, { removeFees: fee !== undefined })).toBe(c.payload);
      }),
      RUNS,
    );
  });

  it('property: replacing the amount of a converted code equals converting the original with the new amount', () => {
    fc.assert(
      fc.property(staticCaseArb(), amountCaseArb, amountCaseArb, (c, a, b) => {
        const opts = (x: typeof a): Record<string, unknown> => (x.decimals === undefined ? { amount: x.input } : { amount: x.input, decimals: x.decimals });
        if (!modelToDynamic(c.nodes, a.expected, undefined, {}).ok || !modelToDynamic(c.nodes, b.expected, undefined, {}).ok) return;
        const first = toDynamic(c.payload, opts(a) as unknown as ToDynamicOptions);
        const second = toDynamic(first, { ...(opts(b) as unknown as ToDynamicOptions), replaceAmount: true });
        expect(second).toBe(toDynamic(c.payload, opts(b) as unknown as ToDynamicOptions));
        expect(get(root(second), '54')).toBe(b.expected);
      }),
      RUNS,
    );
  });
});

// ---- a 62 that repeats a sub-ID ------------------------------------------------------------------

const EDIT_KEYS = [
  ['billNumber', '01'],
  ['referenceLabel', '05'],
  ['terminalLabel', '07'],
] as const;

/**
 * A generated static payload whose 62 repeats a sub-ID: distinct children (some of 01..11), then a
 * second copy of one of them (or of an edited sub-ID 01/05/07) inserted at a drawn position.
 * Returns the payload, its 62 children as written, and where 62 starts (a JS string index).
 */
const repeated62Arb = fc
  .record({
    c: staticCaseArb(),
    ids: fc.uniqueArray(fc.integer({ min: 1, max: 11 }), { minLength: 0, maxLength: 3 }),
    again: fc.constantFrom('01', '05', '07', '02', '08'),
    at: fc.nat(),
    values: fc.array(safeValueArb, { minLength: 5, maxLength: 5 }),
  })
  .map(({ c, ids, again, at, values }) => {
    const kids: RefNode[] = ids.map((id, i) => ({ id: String(id).padStart(2, '0'), value: values[i]! }));
    if (!kids.some((k) => k.id === again)) kids.push({ id: again, value: values[3]! });
    kids.splice(1 + (at % kids.length), 0, { id: again, value: values[4]! });
    const nodes = c.nodes.filter((n) => n.id !== '62');
    const i = nodes.findIndex((n) => Number(n.id) > 62);
    nodes.splice(i < 0 ? nodes.length : i, 0, { id: '62', value: kids.map((k) => t(k.id, k.value)).join('') });
    const payload = encodeRef(nodes);
    const start62 = nodes
      .slice(
        0,
        nodes.findIndex((n) => n.id === '62'),
      )
      .reduce((k, n) => k + t(n.id, n.value).length, 0);
    return { payload, kids, start62 };
  })
  .filter((r) => cps(r.payload) <= 490); // room for 54, so the conversion without a 62 edit fits

describe('toDynamic and a 62 that repeats a sub-ID', () => {
  it('property: any 62 edit of a code whose 62 repeats a sub-ID throws DUPLICATE_SUB_ID naming the first repeat (tag, offset); never a partial output', () => {
    const editArb = fc.subarray([...EDIT_KEYS], { minLength: 1 });
    fc.assert(
      fc.property(repeated62Arb, editArb, safeValueArb, amountCaseArb, ({ payload, kids, start62 }, keys, value, a) => {
        // The first child whose ID appeared before it, and its index in the payload: 62's header, then the children before it.
        const seen = new Set<string>();
        const k = kids.findIndex((x) => (seen.has(x.id) ? true : (seen.add(x.id), false)));
        const offset = start62 + 4 + kids.slice(0, k).reduce((n, x) => n + t(x.id, x.value).length, 0);
        const options: Record<string, unknown> = { amount: a.input, ...Object.fromEntries(keys.map(([key]) => [key, value])) };
        if (a.decimals !== undefined) options.decimals = a.decimals;
        const err = thrown(() => toDynamic(payload, options as unknown as ToDynamicOptions));
        expect(err.code).toBe('DUPLICATE_SUB_ID');
        expect(err.tag).toBe('62/' + kids[k]!.id);
        expect(err.offset).toBe(offset);
        // Without a 62 edit the same code converts, its 62 kept byte for byte.
        const plain = toDynamic(payload, { amount: a.input, ...(a.decimals === undefined ? {} : { decimals: a.decimals }) });
        expect(get(root(plain), '62')).toBe(get(root(payload), '62'));
      }),
      RUNS,
    );
  });

  it('property: without a repeated sub-ID, a 62 edit rewrites only the edited sub-objects; every other sub-object and root object is byte-identical and in order', () => {
    const withExtras = extrasArb.filter(hasExtras);
    fc.assert(
      fc.property(staticCaseArb(), withExtras, (c, extras) => {
        if (!modelToDynamic(c.nodes, '1000', undefined, extras).ok) return; // too long: covered by the model test
        const out = toDynamic(c.payload, { amount: 1000, ...extrasOptions(extras) });
        checkDynamic(c.payload, out, '1000', true);
        const edited = new Map<string, string>(EDIT_KEYS.filter(([key]) => extras[key] !== undefined).map(([key, id]) => [id, extras[key]!]));
        const before = splitRef(get(root(c.payload), '62') ?? '');
        const after = splitRef(get(root(out), '62')!);
        // Existing sub-objects keep their place; an edited one has its new value; new ones follow in 01/05/07 order.
        expect(after.slice(0, before.length)).toEqual(before.map((k) => (edited.has(k.id) ? { id: k.id, value: edited.get(k.id)! } : k)));
        const added = [...edited].filter(([id]) => !before.some((k) => k.id === id)).map(([id, value]) => ({ id, value }));
        expect(after.slice(before.length)).toEqual(added);
      }),
      RUNS,
    );
  });
});

// ---- adversarial merchant names ------------------------------------------------------------------

describe('adversarial merchant names convert correctly (payload-looking text, UTF-8, emoji)', () => {
  const account = t('26', t('00', 'COM.GO-JEK.WWW') + t('01', '936009143580477092') + t('02', 'G580477092') + t('03', 'URE'));
  const national = t('51', t('00', 'ID.CO.QRIS.WWW') + t('02', 'ID2020018243788') + t('03', 'URE'));
  const payloadFor = (poi: string, amount: string, name: string, city: string): string =>
    withCrc('000201' + poi + account + national + '52048398' + '5303360' + amount + '5802ID' + t('59', name) + t('60', city) + '61051433062070703A94');

  it.each([
    ['TOKO 5802ID JAYA', 'JAKARTA'],
    ['010211', '010211'],
    ['Kopi Señor Café', 'Bogotá'],
    ['Warung 😀🍜 Enak', 'Ubud 🌴'],
    ['𠮷野家 最佳', '北京'],
    ['TOKO 6304 MAJU', 'KOTA 6304'],
    ['X6304ABCD', '63041234'],
    ['5303360540410005802ID', '000201'],
    ['A'.repeat(24) + '😀', 'B'.repeat(14) + 'é'],
  ])('59 = %j, 60 = %j', (name, city) => {
    const input = payloadFor('010211', '', name, city);
    expect(crcOk(input)).toBe(true);
    const out = toDynamic(input, { amount: 15000 });
    // Hand-written expectation: 01 = 12, 54 right after 53, the name and city untouched.
    expect(out).toBe(payloadFor('010212', '540515000', name, city));
    expect(get(root(out), '59')).toBe(name);
    expect(get(root(out), '60')).toBe(city);
    expect(toStatic(out)).toBe(input);
    // And with a fee and a bill number (the non-ASCII path rebuilds the CRC from scratch).
    const out2 = toDynamic(input, { amount: '15000.5', decimals: 2, fee: { type: 'percent', value: '2.5' }, billNumber: 'INV 6304' });
    const expected2 = withCrc(
      '000201010212' +
        account +
        national +
        '52048398' +
        '5303360' +
        '540815000.50' +
        '550203' +
        '57032.5' +
        '5802ID' +
        t('59', name) +
        t('60', city) +
        '610514330' +
        t('62', '0703A94' + t('01', 'INV 6304')),
    );
    expect(out2).toBe(expected2);
  });

  it('property: names built from payload fragments, accents and emoji convert like the reference model', () => {
    // staticCaseArb draws 59/60 from trickyNameArb (fragments like 5802ID, 6304ABCD, 010211 + é, 😀, 𠮷).
    fc.assert(
      fc.property(staticCaseArb({ existingFee: false }), fc.integer({ min: 1, max: 10_000_000 }), (c, n) => {
        checkAgainstModel(c.payload, c.nodes, { amount: { input: n, decimals: undefined, expected: String(n) }, fee: undefined, extras: {} });
      }),
      { numRuns: 100 },
    );
  });
});

// ---- options -------------------------------------------------------------------------------------

describe('toDynamic options', () => {
  it('integer output by default, two decimals with decimals: 2', () => {
    expect(toDynamic(GREEN, { amount: 25000 })).toBe(green('010212', '540525000'));
    expect(toDynamic(GREEN, { amount: '25000' })).toBe(green('010212', '540525000'));
    expect(toDynamic(GREEN, { amount: '25000', decimals: 0 })).toBe(green('010212', '540525000'));
    expect(toDynamic(GREEN, { amount: 25000, decimals: 2 })).toBe(green('010212', '540825000.00'));
    expect(toDynamic(GREEN, { amount: '25000.5', decimals: 2 })).toBe(green('010212', '540825000.50'));
    expect(toDynamic(GREEN, { amount: 0.5, decimals: 2 })).toBe(green('010212', '54040.50'));
    expect(toDynamic(GREEN, { amount: '9999999999999' })).toBe(green('010212', '54139999999999999'));
    expect(toDynamic(GREEN, { amount: '9999999999.99', decimals: 2 })).toBe(green('010212', '54139999999999.99'));
    expect(toDynamic(GREEN, { amount: 1000, maxAmount: 1000 })).toBe(green('010212', '54041000'));
    expect(toDynamic(GREEN, { amount: '1000.00', maxAmount: '1000' })).toBe(green('010212', '54041000'));
  });

  it.each<[string, unknown, Partial<ToDynamicOptions>]>([
    ['zero', 0, {}],
    ['string zero', '0', {}],
    ['zero with decimals', '0.00', { decimals: 2 }],
    ['negative number', -1, {}],
    ['negative string', '-1', {}],
    ['plus sign', '+100', {}],
    ['NaN', NaN, {}],
    ['Infinity', Infinity, {}],
    ['-Infinity', -Infinity, {}],
    ['exponent string 1e5', '1e5', {}],
    ['exponent string 1E5', '1E5', {}],
    ['number written with an exponent (1e21)', 1e21, {}],
    ['tiny number written with an exponent (1e-7)', 1e-7, { decimals: 2 }],
    ['three decimals', '1.234', { decimals: 2 }],
    ['float that is not exact (0.1 + 0.2)', 0.1 + 0.2, { decimals: 2 }],
    ['cents with integer output', '25000.50', {}],
    ['14 characters', '12345678901234', {}],
    ['14 characters as a number', 12345678901234, {}],
    ['14 characters once two decimals are added', '99999999999', { decimals: 2 }],
    ['above maxAmount', 1001, { maxAmount: 1000 }],
    ['above a decimal maxAmount', '1000.01', { decimals: 2, maxAmount: '1000' }],
    ['thousands separator', '1,000', {}],
    ['decimal comma', '10,50', { decimals: 2 }],
    ['leading space', ' 100', {}],
    ['trailing dot', '100.', {}],
    ['leading dot', '.5', { decimals: 2 }],
    ['leading zeros', '0100', {}],
    ['empty string', '', {}],
    ['hex', '0x10', {}],
    ['null', null, {}],
    ['undefined (missing)', undefined, {}],
    ['boolean', true, {}],
  ])('rejects %s with BAD_AMOUNT (tag 54)', (_name, amount, extra) => {
    const err = thrown(() => toDynamic(GREEN, { ...extra, amount } as ToDynamicOptions));
    expect(err.code).toBe('BAD_AMOUNT');
    expect(err.tag).toBe('54');
  });

  it('rejects a missing options object and bad option values with BAD_OPTION', () => {
    expect(codeOf(() => toDynamic(GREEN, undefined as unknown as ToDynamicOptions))).toBe('BAD_OPTION');
    expect(codeOf(() => toDynamic(GREEN, null as unknown as ToDynamicOptions))).toBe('BAD_OPTION');
    expect(codeOf(() => toDynamic(GREEN, { amount: '100', decimals: 1 as 2 }))).toBe('BAD_OPTION');
    expect(codeOf(() => toDynamic(GREEN, { amount: 100, decimals: 1 as 2 }))).toBe('BAD_OPTION');
    expect(codeOf(() => toDynamic(GREEN, { amount: 100, maxAmount: 'lots' }))).toBe('BAD_OPTION');
  });

  it('rejects a payload that is not a string with NOT_A_STRING', () => {
    expect(codeOf(() => toDynamic(42 as unknown as string, { amount: 1 }))).toBe('NOT_A_STRING');
    expect(codeOf(() => toStatic(null as unknown as string))).toBe('NOT_A_STRING');
  });

  it('fee prompt / fixed / percent write 55 (+ 56 / 57) right after 54', () => {
    expect(toDynamic(GREEN, { amount: 25000, fee: { type: 'prompt' } })).toBe(green('010212', '540525000' + '550201'));
    expect(toDynamic(GREEN, { amount: 25000, fee: { type: 'fixed', value: 1500 } })).toBe(green('010212', '540525000' + '550202' + '56041500'));
    expect(toDynamic(GREEN, { amount: 25000, fee: { type: 'fixed', value: '1500' } })).toBe(green('010212', '540525000' + '550202' + '56041500'));
    expect(toDynamic(GREEN, { amount: 25000, decimals: 2, fee: { type: 'fixed', value: 1500 } })).toBe(
      green('010212', '540825000.00' + '550202' + '56071500.00'),
    );
    expect(toDynamic(GREEN, { amount: 25000, decimals: 2, fee: { type: 'fixed', value: '1500.5' } })).toBe(
      green('010212', '540825000.00' + '550202' + '56071500.50'),
    );
    expect(toDynamic(GREEN, { amount: 25000, fee: { type: 'percent', value: '0.7' } })).toBe(green('010212', '540525000' + '550203' + '57030.7'));
    expect(toDynamic(GREEN, { amount: 25000, fee: { type: 'percent', value: 2.5 } })).toBe(green('010212', '540525000' + '550203' + '57032.5'));
    expect(toDynamic(GREEN, { amount: 25000, fee: { type: 'percent', value: '99.99' } })).toBe(green('010212', '540525000' + '550203' + '570599.99'));
  });

  it.each<[string, unknown, string]>([
    ['fixed fee zero', { type: 'fixed', value: 0 }, '56'],
    ['fixed fee negative', { type: 'fixed', value: -5 }, '56'],
    ['fixed fee with an exponent', { type: 'fixed', value: '1e3' }, '56'],
    ['fixed fee with cents on integer output', { type: 'fixed', value: '1.5' }, '56'],
    ['fixed fee of 14 characters', { type: 'fixed', value: '12345678901234' }, '56'],
    ['fixed fee missing', { type: 'fixed' }, '56'],
    ['percent zero', { type: 'percent', value: 0 }, '57'],
    ['percent 100', { type: 'percent', value: 100 }, '57'],
    ['percent above 100', { type: 'percent', value: '150' }, '57'],
    ['percent negative', { type: 'percent', value: '-1' }, '57'],
    ['percent longer than 5 characters', { type: 'percent', value: '12.345' }, '57'],
    ['percent NaN', { type: 'percent', value: NaN }, '57'],
    ['unknown fee type', { type: 'tip' }, '55'],
    ['fee null', null, '55'],
  ])('rejects %s with BAD_FEE', (_name, fee, tag) => {
    const err = thrown(() => toDynamic(GREEN, { amount: 25000, fee } as ToDynamicOptions));
    expect(err.code).toBe('BAD_FEE');
    expect(err.tag).toBe(tag);
  });

  describe("the merchant's own 55/56/57", () => {
    // Telkom BIOLBE: static with 55 = 01 right after 53.
    const TELKOM = findPayload('BIOLBE');
    const T_HEAD =
      '00020101021126680016ID.CO.TELKOM.WWW011893600898026635207502150001952663520750303UMI51440014ID.CO.QRIS.WWW0215ID10211254059720303UMI52045499' +
      '5303360';
    const T_TAIL = '5802ID5906BIOLBE6011KAB. MALANG610565168622005091147938120703A03';

    it('the readable Telkom pieces reproduce the real payload', () => {
      expect(withCrc(T_HEAD + '550201' + T_TAIL)).toBe(TELKOM);
    });

    it('are kept when no fee option is given (54 goes after 53, before 55)', () => {
      expect(toDynamic(TELKOM, { amount: 5000 })).toBe(withCrc(T_HEAD.replace('010211', '010212') + '54045000' + '550201' + T_TAIL));
    });

    it('are replaced in place when a fee option is given', () => {
      expect(toDynamic(TELKOM, { amount: 5000, fee: { type: 'fixed', value: 1000 } })).toBe(
        withCrc(T_HEAD.replace('010211', '010212') + '54045000' + '550202' + '56041000' + T_TAIL),
      );
    });

    // Unsorted synthetic code: 55 + 56 after 59, far from 53.
    const account = t('26', t('00', 'ID.CO.BRI.WWW') + t('01', '936000020042854138') + t('03', 'UMI'));
    const head = '000201010211' + account + '52047815' + '5303360' + '5802ID' + '5908TOKO ABC';
    const shuffled = withCrc(head + '550202' + '5603500' + '6007CILEGON');

    it('an unsorted 55/56 stays where it is without a fee option', () => {
      expect(toDynamic(shuffled, { amount: 20000 })).toBe(
        withCrc(head.replace('010211', '010212').replace('5303360', '5303360540520000') + '550202' + '5603500' + '6007CILEGON'),
      );
    });

    it('a fee option replaces 55 in place and drops the old 56 (percent) or 57 (fixed)', () => {
      const newHead = head.replace('010211', '010212').replace('5303360', '5303360540520000');
      expect(toDynamic(shuffled, { amount: 20000, fee: { type: 'percent', value: '1.5' } })).toBe(withCrc(newHead + '550203' + '57031.5' + '6007CILEGON'));
      expect(toDynamic(shuffled, { amount: 20000, fee: { type: 'prompt' } })).toBe(withCrc(newHead + '550201' + '6007CILEGON'));
      const withPercent = withCrc(head + '550203' + '57030.7' + '6007CILEGON');
      expect(toDynamic(withPercent, { amount: 20000, fee: { type: 'fixed', value: 250 } })).toBe(withCrc(newHead + '550202' + '5603250' + '6007CILEGON'));
    });
  });

  describe('billNumber / referenceLabel / terminalLabel (62)', () => {
    it('edit an existing sub-object in place and append new ones after the existing ones', () => {
      expect(toDynamic(GREEN, { amount: 1000, terminalLabel: 'K02' })).toBe(green('010212', '54041000', G_TAIL.replace('62070703A01', '62070703K02')));
      expect(toDynamic(GREEN, { amount: 1000, billNumber: 'INV-001' })).toBe(
        green('010212', '54041000', G_TAIL.replace('62070703A01', '62180703A010107INV-001')),
      );
      expect(toDynamic(GREEN, { amount: 1000, billNumber: 'B1', referenceLabel: 'R1', terminalLabel: 'T1' })).toBe(
        green('010212', '54041000', G_TAIL.replace('62070703A01', '62180702T10102B10502R1')),
      );
      // 25 characters is the limit and is accepted.
      const ref25 = 'R'.repeat(25);
      expect(toDynamic(GREEN, { amount: 1000, referenceLabel: ref25 })).toBe(
        green('010212', '54041000', G_TAIL.replace('62070703A01', t('62', '0703A01' + '0525' + ref25))),
      );
    });

    it('keep the order of an existing 62 and replace only the named sub-objects (real BCA 62 with 01/05/07/99)', () => {
      const bca = findPayload('OMBE KOFIE-HO');
      const old62 = '62590106110932' + '0512110013110932' + '0708AG205211' + '99170002000107DINAMIS';
      expect(bca.split(old62)).toHaveLength(2);
      const new62 = '6257' + '0106110932' + '0510REF-000042' + '0708AG205211' + '99170002000107DINAMIS';
      const expected = withCrc(bca.slice(0, -8).replace('540549500', '540575000').replace(old62, new62));
      expect(toDynamic(bca, { amount: 75000, replaceAmount: true, referenceLabel: 'REF-000042' })).toBe(expected);
    });

    it('create 62 before the first object above 62 (63, or 64 when present)', () => {
      const kios = findPayload('KIOS DEWI');
      expect(toDynamic(kios, { amount: 1000, billNumber: '***' })).toBe(
        withCrc(kios.slice(0, -8).replace('010211', '010212').replace('5303360', '530336054041000') + '62070103***'),
      );
      const account = t('26', t('00', 'ID.CO.BNI.WWW') + t('01', '936000091504644843') + t('03', 'UMI'));
      const body = (poi: string, amount: string, new62: string): string =>
        '000201' + poi + account + '52045411' + '5303360' + amount + '5802ID5904TOKO6005JAMBI' + new62 + t('64', '0002ID' + '0105Tokoh');
      // 64 follows 60 directly: the new 62 goes between them.
      const lang = withCrc(body('010211', '', ''));
      expect(toDynamic(lang, { amount: 1000, billNumber: 'B1', terminalLabel: 'T1' })).toBe(withCrc(body('010212', '54041000', t('62', '0102B1' + '0702T1'))));
    });

    it('refuse values that are empty, longer than 25 characters or not printable ASCII with BAD_FIELD and the sub-object tag', () => {
      const cases: [Partial<ToDynamicOptions>, string][] = [
        [{ billNumber: '' }, '62/01'],
        [{ billNumber: 'B'.repeat(26) }, '62/01'],
        [{ referenceLabel: 'Café' }, '62/05'],
        [{ referenceLabel: 'line\nbreak' }, '62/05'],
        [{ terminalLabel: '😀' }, '62/07'],
        [{ terminalLabel: 7 as unknown as string }, '62/07'],
      ];
      for (const [extra, tag] of cases) {
        const err = thrown(() => toDynamic(GREEN, { amount: 1000, ...extra }));
        expect(err.code, JSON.stringify(extra)).toBe('BAD_FIELD');
        expect(err.tag).toBe(tag);
      }
    });

    it('refuse to edit a 62 that repeats a sub-ID with DUPLICATE_SUB_ID (tag and offset of the second copy); nothing is written', () => {
      const head = '000201010211' + t('26', t('00', 'ID.DANA.WWW') + t('01', '936009153022591481')) + '52045812' + '5303360' + '5802ID5904TOKO6005DEMAK';
      const twice01 = withCrc(head + t('62', '0103B01' + '0703A01' + '0103B02'));
      const second01 = twice01.indexOf('0103B02');
      for (const edit of [{ billNumber: 'INV-9' }, { referenceLabel: 'R1' }, { terminalLabel: 'K9' }, { billNumber: 'B', terminalLabel: 'T' }]) {
        const err = thrown(() => toDynamic(twice01, { amount: 1000, ...edit }));
        expect(err.code, JSON.stringify(edit)).toBe('DUPLICATE_SUB_ID');
        expect(err.tag).toBe('62/01');
        expect(err.offset).toBe(second01);
        expect(err.message).toContain('62');
      }
      // 62/07 twice, edited by terminalLabel; the offset counts from the input as given (leading spaces).
      const twice07 = withCrc(head + t('62', '0703A01' + '0503R01' + '0703A02'));
      const err = thrown(() => toDynamic('  ' + twice07, { amount: 1000, terminalLabel: 'K9' }));
      expect([err.code, err.tag, err.offset]).toEqual(['DUPLICATE_SUB_ID', '62/07', 2 + twice07.indexOf('0703A02')]);
      // A broken CRC is reported first.
      expect(codeOf(() => toDynamic(breakCrc(twice01), { amount: 1000, billNumber: 'X' }))).toBe('CRC_MISMATCH');
      // Conversions that do not write into 62 keep it byte for byte (and toStatic never writes into it).
      const dyn = toDynamic(twice01, { amount: 1000, fee: { type: 'fixed', value: 500 } });
      expect(dyn).toBe(
        withCrc(head.replace('010211', '010212').replace('5303360', '530336054041000' + '550202' + '5603500') + t('62', '0103B01' + '0703A01' + '0103B02')),
      );
      expect(toStatic(dyn, { removeFees: true })).toBe(twice01);
    });

    it('refuse to grow 62 past 99 characters with VALUE_TOO_LONG (tag 62)', () => {
      const big62 = t('62', t('08', 'P'.repeat(25)) + t('03', 'S'.repeat(25)) + t('02', 'M'.repeat(25)));
      expect(cps(big62)).toBe(4 + 87);
      const payload = withCrc(
        '000201010211' + t('26', t('00', 'ID.DANA.WWW') + t('01', '936009153022591481')) + '52045812' + '5303360' + '5802ID5904TOKO6005DEMAK' + big62,
      );
      const err = thrown(() => toDynamic(payload, { amount: 1000, billNumber: 'INV-12345' }));
      expect(err.code).toBe('VALUE_TOO_LONG');
      expect(err.tag).toBe('62');
      // Without the edit the same payload converts.
      expect(crcOk(toDynamic(payload, { amount: 1000 }))).toBe(true);
    });
  });

  it('refuses an output over 512 characters with OUTPUT_TOO_LONG', () => {
    const body = '000201010211' + t('26', t('00', 'ID.DANA.WWW') + t('01', '936009153022591481')) + '52045812' + '5303360' + '5802ID5904TOKO6005DEMAK';
    // Three 103-character unreserved templates and a fourth sized so the payload has exactly 506 characters.
    const filler = [80, 81, 82].map((id) => t(String(id), t('00', 'X'.repeat(95)))).join('');
    const last = withCrc(body + filler + t('83', t('00', 'X'.repeat(506 - 8 - cps(body) - 3 * 103 - 8))));
    expect(cps(last)).toBe(506);
    expect(codeOf(() => toDynamic(last, { amount: 1000 }))).toBe('OUTPUT_TOO_LONG'); // 506 + 8 = 514
    expect(toDynamic(last, { amount: 10 })).toHaveLength(512); // 506 + 6 = 512 is allowed
  });

  it('accepts surrounding whitespace and a lowercase CRC; the output is trimmed with an uppercase CRC', () => {
    expect(toDynamic(' \n' + GREEN + '\r\n', { amount: 25000 })).toBe(green('010212', '540525000'));
    const dana = findPayload('Warung Sayur Bu Sugeng');
    expect(dana.endsWith('58C7')).toBe(true);
    const lower = dana.slice(0, -4) + '58c7';
    const out = toDynamic(lower, { amount: 1000 });
    expect(out).toBe(withCrc(dana.slice(0, -8).replace('010211', '010212').replace('5303360', '530336054041000')));
    expect(out.slice(-4)).toMatch(/^[0-9A-F]{4}$/);
  });

  it('inserts 01 = 12 after 00 when 01 is absent, and 54 before the first ID above 54 when 53 is absent', () => {
    const account = t('26', t('00', 'ID.DANA.WWW') + t('01', '936009153022591481'));
    const input = withCrc('000201' + account + '52045812' + '5802ID5904TOKO6005DEMAK');
    expect(toDynamic(input, { amount: 1000 })).toBe(withCrc('000201010212' + account + '52045812' + '54041000' + '5802ID5904TOKO6005DEMAK'));
  });
});

// ---- already dynamic, replaceAmount --------------------------------------------------------------

describe('already dynamic input', () => {
  const OVO = findPayload('VCcCtqJ0716HgxK16eFVHfvKnGO63048A85'); // OVO dynamic 500000, no fee
  const OVO_PCT = findPayload('57030.7'); // OVO dynamic 500000 with 55 = 03 / 57 = 0.7

  it('is refused with ALREADY_DYNAMIC unless replaceAmount: true', () => {
    const err = thrown(() => toDynamic(OVO, { amount: 750000 }));
    expect({ code: err.code, tag: err.tag, offset: err.offset }).toEqual({ code: 'ALREADY_DYNAMIC', tag: '01', offset: 6 });
    expect(codeOf(() => toDynamic(OVO, { amount: 750000, replaceAmount: false }))).toBe('ALREADY_DYNAMIC');
  });

  it('replaceAmount: true replaces 54 in place and keeps everything else', () => {
    expect(OVO.split('5406500000')).toHaveLength(2);
    expect(toDynamic(OVO, { amount: 750000, replaceAmount: true })).toBe(withCrc(OVO.slice(0, -8).replace('5406500000', '5406750000')));
    expect(toDynamic(OVO, { amount: '12.5', decimals: 2, replaceAmount: true })).toBe(withCrc(OVO.slice(0, -8).replace('5406500000', '540512.50')));
  });

  it('replaceAmount with a fee replaces 54 and the merchant 55/57 in place', () => {
    expect(toDynamic(OVO_PCT, { amount: 100000, replaceAmount: true })).toBe(withCrc(OVO_PCT.slice(0, -8).replace('5406500000', '5406100000')));
    expect(toDynamic(OVO_PCT, { amount: 100000, replaceAmount: true, fee: { type: 'fixed', value: 7000 } })).toBe(
      withCrc(OVO_PCT.slice(0, -8).replace('5406500000' + '550203' + '57030.7', '5406100000' + '550202' + '56047000')),
    );
  });

  it('a static code that already carries 54 is refused (tag 54) unless replaceAmount: true', () => {
    const withAmount = withCrc(GREEN.slice(0, -8).replace('5303360', '53033605404' + '1000'));
    const err = thrown(() => toDynamic(withAmount, { amount: 2000 }));
    expect({ code: err.code, tag: err.tag, offset: err.offset }).toEqual({ code: 'ALREADY_DYNAMIC', tag: '54', offset: 144 });
    expect(withAmount.slice(144, 148)).toBe('5404');
    expect(toDynamic(withAmount, { amount: 2000, replaceAmount: true })).toBe(green('010212', '54042000'));
  });

  it('replaceAmount on a dynamic code without 54 (ShopeePay transfer, tag 40) inserts 54 after 53', () => {
    const transfer = findPayload('0804DMCT9935');
    expect(toDynamic(transfer, { amount: 50000, replaceAmount: true })).toBe(withCrc(transfer.slice(0, -8).replace('5303360', '5303360540550000')));
  });
});

// ---- broken input first --------------------------------------------------------------------------

describe('a broken input is reported as CRC_MISMATCH before any semantic error', () => {
  it('a static code with a wrong CRC', () => {
    const bad = breakCrc(GREEN);
    const err = thrown(() => toDynamic(bad, { amount: 1000 }));
    expect({ code: err.code, tag: err.tag, offset: err.offset, expected: err.expected, actual: err.actual }).toEqual({
      code: 'CRC_MISMATCH',
      tag: '63',
      offset: GREEN.length - 4,
      expected: '6D3F',
      actual: '0000',
    });
    expect(codeOf(() => toDynamic(bad, { amount: 1000, fee: { type: 'fixed', value: 5 }, billNumber: 'X' }))).toBe('CRC_MISMATCH');
  });

  it('a dynamic code with a wrong CRC gives CRC_MISMATCH, not ALREADY_DYNAMIC', () => {
    for (const e of dynamicId) {
      const err = thrown(() => toDynamic(breakCrc(e.payload), { amount: 1000 }));
      expect(err.code).toBe('CRC_MISMATCH');
      expect(err.expected).toBe(crcRef(e.payload.slice(0, -4)));
    }
  });

  it('a bad 01 with a wrong CRC gives CRC_MISMATCH; with a right CRC, BAD_POINT_OF_INITIATION (tag 01)', () => {
    const bad01 = withCrc(GREEN.slice(0, -8).replace('010211', '010213'));
    const err = thrown(() => toDynamic(bad01, { amount: 1000 }));
    expect({ code: err.code, tag: err.tag, offset: err.offset }).toEqual({ code: 'BAD_POINT_OF_INITIATION', tag: '01', offset: 6 });
    expect(codeOf(() => toStatic(bad01))).toBe('BAD_POINT_OF_INITIATION');
    expect(codeOf(() => toDynamic(breakCrc(bad01), { amount: 1000 }))).toBe('CRC_MISMATCH');
    expect(codeOf(() => toStatic(breakCrc(bad01)))).toBe('CRC_MISMATCH');
  });

  it('a non-ASCII code with a wrong CRC', () => {
    const name = withCrc(
      '000201010211' +
        t('26', t('00', 'ID.DANA.WWW') + t('01', '936009153022591481')) +
        '52045812' +
        '5303360' +
        '5802ID' +
        t('59', 'Kopi Señor 😀') +
        '6005DEMAK',
    );
    expect(codeOf(() => toDynamic(breakCrc(name), { amount: 1000 }))).toBe('CRC_MISMATCH');
    expect(codeOf(() => toDynamic(breakCrc(toDynamic(name, { amount: 5 })), { amount: 1000 }))).toBe('CRC_MISMATCH');
  });

  it('a 62 that does not hold data objects is carried over as written, and refused with TEMPLATE_NOT_TLV (tag 62) when asked to edit it', () => {
    const account = t('26', t('00', 'ID.DANA.WWW') + t('01', '936009153022591481'));
    const raw62 = withCrc('000201010211' + account + '52045812' + '5303360' + '5802ID5904TOKO6005DEMAK' + t('62', 'NOT TLV AT ALL'));
    // Untouched, the raw 62 is carried over as written.
    expect(toDynamic(raw62, { amount: 1000 })).toBe(
      withCrc('000201010212' + account + '52045812' + '5303360' + '54041000' + '5802ID5904TOKO6005DEMAK' + t('62', 'NOT TLV AT ALL')),
    );
    const err = thrown(() => toDynamic(raw62, { amount: 1000, billNumber: 'INV1' }));
    expect({ code: err.code, tag: err.tag }).toEqual({ code: 'TEMPLATE_NOT_TLV', tag: '62' });
    // With a wrong CRC as well, the broken CRC is what gets reported.
    expect(codeOf(() => toDynamic(breakCrc(raw62), { amount: 1000, billNumber: 'INV1' }))).toBe('CRC_MISMATCH');
  });

  it('a wrong CRC with a 62 edit that would overflow gives CRC_MISMATCH, not VALUE_TOO_LONG', () => {
    const big62 = t('62', t('08', 'P'.repeat(25)) + t('03', 'S'.repeat(25)) + t('02', 'M'.repeat(25)));
    const payload = withCrc(
      '000201010211' + t('26', t('00', 'ID.DANA.WWW') + t('01', '936009153022591481')) + '52045812' + '5303360' + '5802ID5904TOKO6005DEMAK' + big62,
    );
    expect(codeOf(() => toDynamic(breakCrc(payload), { amount: 1000, billNumber: 'INV-12345' }))).toBe('CRC_MISMATCH');
  });
});

// ---- toStatic ------------------------------------------------------------------------------------

describe('toStatic', () => {
  it('on a static code gives ALREADY_STATIC (tag 01)', () => {
    const err = thrown(() => toStatic(GREEN));
    expect({ code: err.code, tag: err.tag, offset: err.offset }).toEqual({ code: 'ALREADY_STATIC', tag: '01', offset: 6 });
    for (const e of staticId) expect(codeOf(() => toStatic(e.payload))).toBe('ALREADY_STATIC');
    // A code without 01 and without 54 (Brazil Pix) is static too.
    expect(codeOf(() => toStatic(findPayload('[Pix.ae]')))).toBe('ALREADY_STATIC');
  });

  it('on a static code with a wrong CRC gives CRC_MISMATCH, not ALREADY_STATIC', () => {
    expect(codeOf(() => toStatic(breakCrc(GREEN)))).toBe('CRC_MISMATCH');
  });

  it('sets 01 = 11 and removes 54, keeping the merchant fee; removeFees drops 55/56/57 as well', () => {
    const doku = findPayload('GUREUM SHOP');
    const body = doku.slice(0, -8);
    expect(body.split('5404100055020256035005802ID')).toHaveLength(2);
    expect(toStatic(doku)).toBe(withCrc(body.replace('010212', '010211').replace('54041000', '')));
    expect(toStatic(doku, { removeFees: false })).toBe(withCrc(body.replace('010212', '010211').replace('54041000', '')));
    expect(toStatic(doku, { removeFees: true })).toBe(withCrc(body.replace('010212', '010211').replace('54041000' + '550202' + '5603500', '')));
    const ovoPct = findPayload('57030.7');
    expect(toStatic(ovoPct, { removeFees: true })).toBe(
      withCrc(
        ovoPct
          .slice(0, -8)
          .replace('010212', '010211')
          .replace('5406500000' + '550203' + '57030.7', ''),
      ),
    );
  });

  it('every dynamic Indonesian corpus entry: 01 = 11, 54 removed, every other object unchanged and in order', () => {
    for (const e of dynamicId) {
      const before = root(e.payload);
      const expected = before.filter((n) => n.id !== '54').map((n) => (n.id === '01' ? { id: '01', value: '11' } : n));
      const out = toStatic(e.payload);
      expect(out).toBe(encodeRef(expected));
      const noFee = expected.filter((n) => !['55', '56', '57'].includes(n.id));
      expect(toStatic(e.payload, { removeFees: true })).toBe(encodeRef(noFee));
    }
  });

  it('a static code carrying 54 loses its 54; a code without 01 but with 54 gets 01 = 11', () => {
    const withAmount = withCrc(GREEN.slice(0, -8).replace('5303360', '530336054041000'));
    expect(toStatic(withAmount)).toBe(GREEN);
    const account = t('26', t('00', 'ID.DANA.WWW') + t('01', '936009153022591481'));
    const no01 = withCrc('000201' + account + '52045812' + '5303360' + '54041000' + '5802ID5904TOKO6005DEMAK');
    expect(toStatic(no01)).toBe(withCrc('000201010211' + account + '52045812' + '5303360' + '5802ID5904TOKO6005DEMAK'));
  });

  it('works on non-ASCII codes (CRC over UTF-8 bytes)', () => {
    const cn = findPayload('BEST TRANSPORT');
    const before = root(cn);
    const out = toStatic(cn);
    expect(out).toBe(encodeRef(before.filter((n) => n.id !== '54').map((n) => (n.id === '01' ? { id: '01', value: '11' } : n))));
    expect(crcOk(out)).toBe(true);
  });
});
