/**
 * QRIS test helpers for the convert / info / validate / build / amount tests: independent reference
 * encoding (code-point lengths, bitwise CRC over TextEncoder bytes), a reference root splitter, a
 * reference model of the static -> dynamic conversion, and fast-check arbitraries for static QRIS
 * payloads (varied tag sets and order, Unicode names, existing fees, 62, 64, unreserved templates)
 * and for `build` fields.
 *
 * Nothing here imports from src/ at runtime (types only): expectations built with these helpers are
 * never computed by the code under test.
 */
import fc from 'fast-check';
import type { BuildFields } from '../src/qris/build.js';
import type { FeeOption } from '../src/qris/convert.js';

// ---- Reference CRC, lengths and encoding -----------------------------------------------------------

/** CRC-16/CCITT-FALSE bit by bit over UTF-8 bytes: poly 0x1021, init 0xFFFF, no reflection/xorout. */
export function crcRef(s: string): string {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(s)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

/** True when the last four characters are the reference CRC of everything before them. */
export function crcOk(payload: string): boolean {
  return payload.length > 4 && payload.slice(-4) === crcRef(payload.slice(0, -4));
}

/** Length in Unicode code points (what an EMVCo length field counts). */
export function cps(s: string): number {
  return [...s].length;
}

export const pad2 = (n: number): string => String(n).padStart(2, '0');

/** A data object to encode: primitive (`value`) or template (`children`). */
export interface Obj {
  readonly id: string;
  readonly value?: string;
  readonly children?: readonly Obj[];
}

export function valueText(o: Obj): string {
  return o.children ? o.children.map(enc).join('') : (o.value ?? '');
}

/** ID + two-digit code-point length + value. */
export function enc(o: Obj): string {
  const v = valueText(o);
  return o.id + pad2(cps(v)) + v;
}

/** Root objects (without 63) encoded, then `6304` and the reference CRC. */
export function encodePayload(nodes: readonly Obj[]): string {
  const head = nodes.map(enc).join('') + '6304';
  return head + crcRef(head);
}

/**
 * Encodes like `encodePayload` and records the JS string offset of every object by tag path
 * (`"59"`, `"62/07"`, `"63"`), for asserting issue offsets.
 */
export function encodeWithOffsets(nodes: readonly Obj[]): { payload: string; offsets: Map<string, number> } {
  const offsets = new Map<string, number>();
  let out = '';
  for (const n of nodes) {
    offsets.set(n.id, out.length);
    if (n.children) {
      let inner = out.length + 4;
      for (const c of n.children) {
        offsets.set(`${n.id}/${c.id}`, inner);
        inner += enc(c).length;
      }
    }
    out += enc(n);
  }
  offsets.set('63', out.length);
  const head = out + '6304';
  return { payload: head + crcRef(head), offsets };
}

/** A data object as split by the reference splitter. */
export interface RefNode {
  readonly id: string;
  readonly value: string;
}

/** Splits one TLV level by code-point lengths; throws on anything malformed. Independent of src/. */
export function splitRef(s: string): RefNode[] {
  const chars = [...s];
  const out: RefNode[] = [];
  let i = 0;
  while (i < chars.length) {
    const head = chars.slice(i, i + 4).join('');
    if (!/^[0-9]{4}$/.test(head)) throw new Error(`bad header ${JSON.stringify(head)} at code point ${i}`);
    const len = Number(head.slice(2));
    if (i + 4 + len > chars.length) throw new Error(`object ${head.slice(0, 2)} overruns`);
    out.push({ id: head.slice(0, 2), value: chars.slice(i + 4, i + 4 + len).join('') });
    i += 4 + len;
  }
  return out;
}

// ---- Reference model of toDynamic -------------------------------------------------------------------

export interface AmountCase {
  /** What is passed as `options.amount`. */
  readonly input: number | string;
  readonly decimals: 0 | 2 | undefined;
  /** The 54 value a correct converter writes. */
  readonly expected: string;
}

export interface FeeCase {
  readonly option: FeeOption;
  /** Root objects 55 (+ 56 / 57) a correct converter writes. */
  readonly objects: readonly RefNode[];
}

export interface ExtrasCase {
  readonly billNumber?: string;
  readonly referenceLabel?: string;
  readonly terminalLabel?: string;
}

const EXTRA_IDS = [
  ['billNumber', '01'],
  ['referenceLabel', '05'],
  ['terminalLabel', '07'],
] as const;

export type ModelResult = { readonly ok: true; readonly nodes: RefNode[] } | { readonly ok: false; readonly code: 'VALUE_TOO_LONG' | 'TOO_LONG' };

/**
 * What toDynamic must produce for a static input, written from the spec digest as list operations
 * on the root objects: 01 -> 12 (or inserted after 00), 54 after 53 (else before the first ID above
 * 54 in written order), a new fee right after 54 (or an existing 55 replaced in place and the old
 * 56/57 dropped), 62 edited in place (sub-objects replaced in place, new ones appended in 01/05/07
 * order) or created before the first ID above 62. Root nodes exclude 63.
 */
export function modelToDynamic(rootWithout63: readonly RefNode[], amount: string, fee: FeeCase | undefined, extras: ExtrasCase): ModelResult {
  let nodes = [...rootWithout63];
  const i01 = nodes.findIndex((n) => n.id === '01');
  if (i01 >= 0) nodes[i01] = { id: '01', value: '12' };
  else nodes.splice(1, 0, { id: '01', value: '12' });

  const had55 = nodes.some((n) => n.id === '55');
  const amountObj: RefNode = { id: '54', value: amount };
  const afterAmount = fee && !had55 ? [amountObj, ...fee.objects] : [amountObj];
  const i53 = nodes.findIndex((n) => n.id === '53');
  const at = i53 >= 0 ? i53 + 1 : firstAbove(nodes, 54);
  nodes.splice(at, 0, ...afterAmount);
  if (fee && had55) {
    nodes = nodes.filter((n) => n.id !== '56' && n.id !== '57');
    nodes.splice(
      nodes.findIndex((n) => n.id === '55'),
      1,
      ...fee.objects,
    );
  }

  const edits = EXTRA_IDS.filter(([k]) => extras[k] !== undefined).map(([k, id]) => ({ id, value: extras[k]! }));
  if (edits.length > 0) {
    const i62 = nodes.findIndex((n) => n.id === '62');
    let children: RefNode[] = i62 >= 0 ? splitRef(nodes[i62]!.value) : [];
    for (const e of edits) {
      const j = children.findIndex((c) => c.id === e.id);
      if (j >= 0) children[j] = e;
      else children = [...children, e];
    }
    const value = children.map((c) => c.id + pad2(cps(c.value)) + c.value).join('');
    if (cps(value) > 99) return { ok: false, code: 'VALUE_TOO_LONG' };
    const obj = { id: '62', value };
    if (i62 >= 0) nodes[i62] = obj;
    else nodes.splice(firstAbove(nodes, 62), 0, obj);
  }
  const total = nodes.reduce((n, o) => n + 4 + cps(o.value), 0) + 8;
  if (total > 512) return { ok: false, code: 'TOO_LONG' };
  return { ok: true, nodes };
}

/** Index of the first node whose ID is above `id` (in written order), else the end (where 63 goes). */
function firstAbove(nodes: readonly RefNode[], id: number): number {
  const i = nodes.findIndex((n) => Number(n.id) > id);
  return i < 0 ? nodes.length : i;
}

/** Encodes reference nodes (no 63) with 6304 + reference CRC. */
export function encodeRef(nodes: readonly RefNode[]): string {
  const head = nodes.map((n) => n.id + pad2(cps(n.value)) + n.value).join('') + '6304';
  return head + crcRef(head);
}

// ---- Character sets ---------------------------------------------------------------------------------

const digit = fc.constantFrom(...'0123456789'.split(''));
export const digitsArb = (min: number, max: number): fc.Arbitrary<string> => fc.string({ unit: digit, minLength: min, maxLength: max });

/** Printable ASCII. */
export const asciiArb = (min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: min, maxLength: max });

/** Printable ASCII without leading/trailing whitespace problems: letters, digits, a few marks. */
const safeAsciiChar = fc.oneof(
  { arbitrary: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.split('')), weight: 6 },
  { arbitrary: digit, weight: 3 },
  { arbitrary: fc.constantFrom(..." .,&-*@#/()'!".split('')), weight: 1 },
);
export const safeAsciiArb = (min: number, max: number): fc.Arbitrary<string> => fc.string({ unit: safeAsciiChar, minLength: min, maxLength: max });

/** Pieces that look like payload syntax, to confuse string-splitting converters. */
const trapPiece = fc.constantFrom('5802ID', '010211', '010212', '6304', '6304ABCD', '5303360', '54041000', '000201', '26', '63', '54');

/** Names that mix ASCII, payload-looking fragments, accented letters, CJK and emoji. */
export const trickyNameArb = (max: number): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        { arbitrary: safeAsciiChar, weight: 6 },
        { arbitrary: trapPiece, weight: 1 },
        { arbitrary: fc.constantFrom('é', 'ñ', 'ü', '最', '佳', '😀', '🍜', '𠮷'), weight: 1 },
      ),
      {
        minLength: 1,
        maxLength: max,
      },
    )
    .map((parts) => [...parts.join('')].slice(0, max).join(''))
    .filter((s) => s.trim().length > 0 && s === s.trim());

// ---- Static QRIS payloads -----------------------------------------------------------------------------

export const ISSUERS: readonly (readonly [guid: string, nns: string, name: string])[] = [
  ['COM.GO-JEK.WWW', '93600914', 'GoPay'],
  ['ID.DANA.WWW', '93600915', 'DANA'],
  ['ID.CO.SHOPEE.WWW', '93600918', 'ShopeePay'],
  ['id.ovo', '93600912', 'OVO'],
  ['ID.LINKAJA.WWW', '93600911', 'LinkAja'],
  ['ID.CO.BRI.WWW', '93600002', 'Bank BRI'],
  ['ID.CO.BCA.WWW', '93600014', 'Bank BCA'],
  ['ID.CO.BANKMANDIRI.WWW', '93600008', 'Bank Mandiri'],
  ['ID.CO.BNI.WWW', '93600009', 'Bank BNI'],
  ['ID.CO.CIMBNIAGA.WWW', '93600022', 'CIMB Niaga'],
];

const accountArb: fc.Arbitrary<readonly RefNode[]> = fc
  .record({
    issuer: fc.constantFrom(...ISSUERS),
    rest: digitsArb(8, 11),
    mid: safeAsciiArb(1, 15).filter((s) => s.trim() === s),
    crit: fc.constantFrom('UMI', 'UKE', 'UME', 'UBE', 'URE'),
  })
  .map(({ issuer, rest, mid, crit }) => [
    { id: '00', value: issuer[0] },
    { id: '01', value: issuer[1] + rest },
    { id: '02', value: mid },
    { id: '03', value: crit },
  ]);

const tlvText = (children: readonly RefNode[]): string => children.map((c) => c.id + pad2(cps(c.value)) + c.value).join('');

/** 62 children: a few of 01-11 and sometimes a payment-system template 50-99. */
const additionalChildrenArb: fc.Arbitrary<RefNode[]> = fc
  .tuple(
    fc.uniqueArray(fc.integer({ min: 1, max: 11 }), { minLength: 0, maxLength: 3 }),
    fc.option(fc.tuple(fc.integer({ min: 50, max: 99 }), safeAsciiArb(1, 10)), { nil: undefined }),
  )
  .chain(([ids, tpl]) =>
    fc.tuple(...ids.map((id) => (id === 9 ? fc.constantFrom('A', 'M', 'E', 'AME', 'ME') : safeAsciiArb(1, 12)))).map((values) => {
      const kids: RefNode[] = ids.map((id, i) => ({ id: pad2(id), value: values[i]! }));
      if (tpl) kids.push({ id: pad2(tpl[0]), value: tlvText([{ id: '00', value: tpl[1] }]) });
      return kids.length > 0 ? kids : [{ id: '07', value: 'A01' }];
    }),
  );

/** What a generated static payload holds, for building expectations. */
export interface StaticCase {
  readonly payload: string;
  /** Root objects without 63, in written order. */
  readonly nodes: readonly RefNode[];
}

/**
 * A static QRIS-like payload: 00, 01 = 11 (sometimes absent), 1-3 accounts in 26-45, optional 51,
 * 52, 53 = 360 (sometimes absent), sometimes an existing 55 (prompt, fixed + 56 or percent + 57),
 * 58 = ID, tricky 59 (payload fragments, accents, emoji), 60, optional 61/62/64/80-99, in ascending
 * order or with the middle objects shuffled. ASCII and non-ASCII payloads both occur.
 */
export function staticCaseArb(
  opts: { with01?: 'always' | 'sometimes'; with53?: 'always' | 'sometimes' | 'never'; existingFee?: boolean } = {},
): fc.Arbitrary<StaticCase> {
  const with01 = opts.with01 ?? 'always';
  const with53 = opts.with53 ?? 'sometimes';
  return fc
    .record({
      has01: with01 === 'always' ? fc.constant(true) : fc.boolean(),
      accounts: fc
        .uniqueArray(fc.integer({ min: 26, max: 45 }), { minLength: 1, maxLength: 3 })
        .chain((tags) => fc.tuple(...tags.map(() => accountArb)).map((kids) => tags.map((t, i) => ({ id: String(t), value: tlvText(kids[i]!) })))),
      national: fc.option(
        digitsArb(13, 13).map((d) => ({
          id: '51',
          value: tlvText([
            { id: '00', value: 'ID.CO.QRIS.WWW' },
            { id: '02', value: 'ID' + d },
            { id: '03', value: 'UMI' },
          ]),
        })),
        { nil: undefined },
      ),
      mcc: digitsArb(4, 4),
      has53: with53 === 'always' ? fc.constant(true) : with53 === 'never' ? fc.constant(false) : fc.boolean(),
      fee:
        opts.existingFee === false
          ? fc.constant(undefined)
          : fc.option(
              fc.oneof(
                fc.constant([{ id: '55', value: '01' }]),
                digitsArb(1, 5).map((d) => [
                  { id: '55', value: '02' },
                  { id: '56', value: '1' + d },
                ]),
                fc.constantFrom('0.7', '1', '2.5', '10').map((p) => [
                  { id: '55', value: '03' },
                  { id: '57', value: p },
                ]),
              ),
              { nil: undefined, freq: 3 },
            ),
      name: trickyNameArb(25),
      city: trickyNameArb(15),
      postal: fc.option(digitsArb(5, 5), { nil: undefined }),
      additional: fc.option(additionalChildrenArb, { nil: undefined }),
      language: fc.option(fc.tuple(fc.constantFrom('ZH', 'ID', 'ja'), trickyNameArb(20)), { nil: undefined }),
      unreserved: fc.option(fc.tuple(fc.integer({ min: 80, max: 99 }), safeAsciiArb(1, 20)), { nil: undefined }),
      shuffle: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined, freq: 3 }),
    })
    .map((r) => {
      const middle: RefNode[] = [...r.accounts];
      if (r.national) middle.push(r.national);
      middle.push({ id: '52', value: r.mcc });
      if (r.has53) middle.push({ id: '53', value: '360' });
      if (r.fee) middle.push(...r.fee);
      middle.push({ id: '58', value: 'ID' }, { id: '59', value: r.name }, { id: '60', value: r.city });
      if (r.postal) middle.push({ id: '61', value: r.postal });
      if (r.additional) middle.push({ id: '62', value: tlvText(r.additional) });
      if (r.language)
        middle.push({
          id: '64',
          value: tlvText([
            { id: '00', value: r.language[0] },
            { id: '01', value: r.language[1] },
          ]),
        });
      if (r.unreserved)
        middle.push({ id: String(r.unreserved[0]), value: tlvText([{ id: '00', value: 'COM.EXAMPLE.' + r.unreserved[1].replace(/[^A-Za-z0-9]/g, 'X') }]) });
      if (r.shuffle !== undefined) {
        // Deterministic Fisher-Yates from the drawn seed (real codes are not sorted).
        let seed = r.shuffle;
        for (let i = middle.length - 1; i > 0; i--) {
          seed = (seed * 1103515245 + 12345) % 2147483648;
          const j = seed % (i + 1);
          [middle[i], middle[j]] = [middle[j]!, middle[i]!];
        }
      }
      const nodes: RefNode[] = [{ id: '00', value: '01' }, ...(r.has01 ? [{ id: '01', value: '11' }] : []), ...middle];
      return { payload: encodeRef(nodes), nodes };
    })
    .filter((c) => cps(c.payload) <= 512);
}

// ---- Amounts and fees -----------------------------------------------------------------------------

/** A valid amount with the 54 value a correct converter writes. */
export const amountCaseArb: fc.Arbitrary<AmountCase> = fc.oneof(
  fc.integer({ min: 1, max: 2_000_000_000 }).map((n): AmountCase => ({ input: n, decimals: undefined, expected: String(n) })),
  fc.integer({ min: 1, max: 2_000_000_000 }).map((n): AmountCase => ({ input: String(n), decimals: 0, expected: String(n) })),
  fc.integer({ min: 1, max: 99_999_999 }).map((n): AmountCase => ({ input: n, decimals: 2, expected: `${n}.00` })),
  fc
    .tuple(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 0, max: 99 }), fc.boolean())
    .filter(([i, c]) => i > 0 || c > 0)
    .map(([i, c, short]): AmountCase => {
      const cents = pad2(c);
      const input = short && cents.endsWith('0') ? `${i}.${cents[0]}` : `${i}.${cents}`;
      return { input, decimals: 2, expected: `${i}.${cents}` };
    }),
);

/** A fee option with the 55/56/57 objects a correct converter writes for the given decimals. */
export function feeCaseArb(decimals: 0 | 2 | undefined): fc.Arbitrary<FeeCase> {
  return fc.oneof(
    fc.constant<FeeCase>({ option: { type: 'prompt' }, objects: [{ id: '55', value: '01' }] }),
    fc.integer({ min: 1, max: 999_999 }).map((n): FeeCase => ({
      option: { type: 'fixed', value: n },
      objects: [
        { id: '55', value: '02' },
        { id: '56', value: decimals === 2 ? `${n}.00` : String(n) },
      ],
    })),
    fc.constantFrom('0.5', '1', '2.5', '10', '99.99', '0.01').map((p): FeeCase => ({
      option: { type: 'percent', value: p },
      objects: [
        { id: '55', value: '03' },
        { id: '57', value: p },
      ],
    })),
  );
}

export const extrasArb: fc.Arbitrary<ExtrasCase> = fc.record(
  { billNumber: safeAsciiArb(1, 25), referenceLabel: safeAsciiArb(1, 25), terminalLabel: safeAsciiArb(1, 25) },
  { requiredKeys: [] },
);

// ---- build() fields ---------------------------------------------------------------------------------

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** Keys of 62 and a value arbitrary for each (09 must be letters A/M/E, each at most once). */
const ADDITIONAL_KEYS = [
  'billNumber',
  'mobileNumber',
  'storeLabel',
  'loyaltyNumber',
  'referenceLabel',
  'customerLabel',
  'terminalLabel',
  'purpose',
  'consumerDataRequest',
  'merchantTaxId',
  'merchantChannel',
] as const;

export interface BuildCase {
  readonly fields: BuildFields;
  /** The formatted amount / fee value info must report, where given. */
  readonly amountText?: string;
  readonly feeText?: string;
}

/** An amount as build() is given it, its decimals option, and the text info() must show. */
interface BuildAmountCase {
  readonly input: number | string;
  readonly decimals: 0 | 2 | undefined;
  readonly text: string;
}

/** BuildFields within every EMVCo/QRIS limit, with the formatted amount and fee alongside. */
export const buildCaseArb: fc.Arbitrary<BuildCase> = fc
  .record({
    merchantName: safeAsciiArb(1, 25).filter((s) => s.trim() === s && s.length > 0),
    merchantCity: safeAsciiArb(1, 15).filter((s) => s.trim() === s && s.length > 0),
    mcc: digitsArb(4, 4),
    accounts: fc.array(
      fc.record({
        issuer: fc.constantFrom(...ISSUERS),
        panRest: digitsArb(7, 11),
        merchantId: fc.option(
          safeAsciiArb(1, 15).filter((s) => s.trim() === s && s.length > 0),
          { nil: undefined },
        ),
        criteria: fc.option(fc.constantFrom('UMI', 'UKE', 'UME', 'UBE', 'URE'), { nil: undefined }),
        withPan: fc.boolean(),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    nmid: fc.option(
      digitsArb(13, 13).map((d) => 'ID' + d),
      { nil: undefined },
    ),
    merchantCriteria: fc.option(fc.constantFrom('UMI', 'UKE', 'UME', 'UBE', 'URE'), { nil: undefined }),
    postalCode: fc.option(digitsArb(5, 5), { nil: undefined }),
    amount: fc.option(
      fc.oneof(
        fc.integer({ min: 1, max: 999_999_999 }).map((n): BuildAmountCase => ({ input: n, decimals: undefined, text: String(n) })),
        fc
          .tuple(fc.integer({ min: 1, max: 9_999_999 }), fc.integer({ min: 0, max: 99 }))
          .map(([i, c]): BuildAmountCase => ({ input: `${i}.${pad2(c)}`, decimals: 2, text: `${i}.${pad2(c)}` })),
      ),
      { nil: undefined },
    ),
    fee: fc.option(
      fc.oneof(
        fc.constant({ kind: 'prompt' as const, value: '' }),
        fc.integer({ min: 1, max: 99_999 }).map((n) => ({ kind: 'fixed' as const, value: String(n) })),
        fc.constantFrom('0.5', '3', '12.5', '99').map((p) => ({ kind: 'percent' as const, value: p })),
      ),
      { nil: undefined },
    ),
    additional: fc.option(
      fc
        .uniqueArray(fc.constantFrom(...ADDITIONAL_KEYS), { minLength: 1, maxLength: 4 })
        .chain((keys) =>
          fc
            .tuple(
              ...keys.map((k) => (k === 'consumerDataRequest' ? fc.constantFrom('A', 'M', 'E', 'AME', 'EA') : safeAsciiArb(1, 17).filter((s) => s.length > 0))),
            )
            .map((vals) => Object.fromEntries(keys.map((k, i) => [k, vals[i]!]))),
        ),
      { nil: undefined },
    ),
    language: fc.option(
      fc.record({
        preference: fc.constantFrom('ZH', 'id', 'TH'),
        merchantName: trickyNameArb(25),
        merchantCity: fc.option(trickyNameArb(15), { nil: undefined }),
      }),
      { nil: undefined },
    ),
  })
  .map((r): BuildCase => {
    const f: Writable<BuildFields> = {
      merchantName: r.merchantName,
      merchantCity: r.merchantCity,
      mcc: r.mcc,
      accounts: r.accounts.map((a) => {
        const acc: { guid: string; pan?: string; merchantId?: string; criteria?: string } = { guid: a.issuer[0] };
        if (a.withPan) acc.pan = a.issuer[1] + a.panRest;
        if (a.merchantId !== undefined) acc.merchantId = a.merchantId;
        if (a.criteria !== undefined) acc.criteria = a.criteria;
        return acc;
      }),
    };
    if (r.nmid !== undefined) f.nmid = r.nmid;
    // QRIS 4.7.7: a static Indonesian code carries 51, so one without an amount gets an NMID.
    else if (r.amount === undefined && r.merchantCriteria === undefined) f.nmid = 'ID1020017611473';
    if (r.merchantCriteria !== undefined) f.merchantCriteria = r.merchantCriteria;
    if (r.postalCode !== undefined) f.postalCode = r.postalCode;
    let amountText: string | undefined;
    let decimals: 0 | 2 | undefined;
    if (r.amount !== undefined) {
      f.amount = r.amount.input;
      decimals = r.amount.decimals;
      if (decimals !== undefined) f.decimals = decimals;
      amountText = r.amount.text;
    }
    let feeText: string | undefined;
    if (r.fee !== undefined) {
      if (r.fee.kind === 'prompt') f.fee = { type: 'prompt' };
      else if (r.fee.kind === 'fixed') {
        f.fee = { type: 'fixed', value: Number(r.fee.value) };
        feeText = decimals === 2 ? `${r.fee.value}.00` : r.fee.value;
      } else {
        f.fee = { type: 'percent', value: r.fee.value };
        feeText = r.fee.value;
      }
    }
    if (r.additional !== undefined) f.additionalData = r.additional;
    if (r.language !== undefined) {
      f.language =
        r.language.merchantCity === undefined
          ? { preference: r.language.preference, merchantName: r.language.merchantName }
          : { preference: r.language.preference, merchantName: r.language.merchantName, merchantCity: r.language.merchantCity };
    }
    const out: { fields: BuildFields; amountText?: string; feeText?: string } = { fields: f };
    if (amountText !== undefined) out.amountText = amountText;
    if (feeText !== undefined) out.feeText = feeText;
    return out;
  })
  .filter((c) => estimatedLength(c.fields) <= 512);

/** Code points the payload of `f` will have (an over-estimate is fine: it only filters). */
function estimatedLength(f: BuildFields): number {
  let n = 6 + 6 + 8 + 7 + 6 + 4 + cps(f.merchantName) + 4 + cps(f.merchantCity) + 8;
  for (const a of f.accounts) n += 4 + 4 + a.guid.length + (a.pan ? 4 + a.pan.length : 0) + (a.merchantId ? 4 + a.merchantId.length : 0) + (a.criteria ? 7 : 0);
  if (f.nmid !== undefined || f.merchantCriteria !== undefined) n += 4 + 18 + 19 + 7;
  if (f.postalCode !== undefined) n += 9;
  n += 4 + 13 + 4 + 2 + 4 + 13;
  if (f.additionalData) n += 4 + Object.values(f.additionalData).reduce((s, v) => s + 4 + cps(v ?? ''), 0);
  if (f.language) n += 4 + 6 + 4 + cps(f.language.merchantName) + (f.language.merchantCity ? 4 + cps(f.language.merchantCity) : 0);
  return n;
}
