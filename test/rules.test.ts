/**
 * Generated from the rule table: for every row of RULES, payloads that break only that rule and
 * payloads just inside it (its limits, its samples), encoded by the reference encoder with the CRC
 * recomputed. A row without a generator or a hand-written case fails the coverage test, so a rule
 * cannot be added untested. Also: the O(1) refusal of over-long input (counted, not timed), the
 * 513-4096 band, profiles, and the README rule table matching the generator.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mutatedPayloadArb } from './arbitraries.js';
import { staticCaseArb } from './qris-arbitraries.js';
import { info, MAX_INPUT_LENGTH, MAX_PAYLOAD_LENGTH, parse, RULES, validate, VALIDATION_CODES } from '../src/index.js';
import type { QrisIssue, RuleSpec } from '../src/index.js';
import { expandPath } from '../src/qris/rules.js';
import { encodePayload, type Obj } from './qris-arbitraries.js';
import { renderRulesTable, README_MARKERS } from '../scripts/rules-table.js';

const rules: readonly RuleSpec[] = RULES;

// ---- two clean bases -------------------------------------------------------------------------------

/** BCA GREEN PAW, a real static QRIS, as objects. */
const QRIS_BASE: readonly Obj[] = [
  { id: '00', value: '01' },
  { id: '01', value: '11' },
  {
    id: '26',
    children: [
      { id: '00', value: 'ID.CO.BCA.WWW' },
      { id: '01', value: '936000140001287667' },
      { id: '02', value: '000885001287667' },
      { id: '03', value: 'UKE' },
    ],
  },
  {
    id: '51',
    children: [
      { id: '00', value: 'ID.CO.QRIS.WWW' },
      { id: '02', value: 'ID1021081861606' },
      { id: '03', value: 'UKE' },
    ],
  },
  { id: '52', value: '0742' },
  { id: '53', value: '360' },
  { id: '58', value: 'ID' },
  { id: '59', value: 'GREEN PAW' },
  { id: '60', value: 'TANGSEL' },
  { id: '61', value: '15323' },
  { id: '62', children: [{ id: '07', value: 'A01' }] },
];

/**
 * A Thai-style EMVCo code (judged by EMVCo rules alone), with a 64 and an 80 to break. Its account
 * GUID is no scheme's: with PromptPay's (A000000677010111) the PromptPay overlay would run.
 */
const EMV_BASE: readonly Obj[] = [
  { id: '00', value: '01' },
  { id: '01', value: '11' },
  {
    id: '29',
    children: [
      { id: '00', value: 'A000000999010111' },
      { id: '01', value: '0066812345678' },
    ],
  },
  { id: '52', value: '5812' },
  { id: '53', value: '764' },
  { id: '58', value: 'TH' },
  { id: '59', value: 'SHOP' },
  { id: '60', value: 'BANGKOK' },
  { id: '62', children: [{ id: '07', value: 'A01' }] },
  {
    id: '64',
    children: [
      { id: '00', value: 'ZH' },
      { id: '01', value: 'SHOP ALT' },
      { id: '02', value: 'CITY' },
    ],
  },
  {
    id: '80',
    children: [
      { id: '00', value: 'A000000677010111' },
      { id: '01', value: 'XX' },
    ],
  },
];

/** T1, the digest's transfer example (ast QrisMapperTest): root 40, 62/08 DMCT, 62/99, no 54. */
const TRANSFER_BASE: readonly Obj[] = [
  { id: '00', value: '01' },
  { id: '01', value: '12' },
  {
    id: '40',
    children: [
      { id: '00', value: 'ID.CO.ASTRAPAY.WWW' },
      { id: '01', value: '9360082230002001355' },
      { id: '02', value: '200135' },
    ],
  },
  { id: '52', value: '4829' },
  { id: '53', value: '360' },
  { id: '58', value: 'ID' },
  { id: '59', value: 'Test rename http header' },
  { id: '60', value: 'Jakarta Pusat' },
  { id: '61', value: '10220' },
  {
    id: '62',
    children: [
      { id: '08', value: 'DMCT' },
      {
        id: '99',
        children: [
          { id: '00', value: '00' },
          { id: '01', value: 'TG0H0C8UCRIWF0NZAC12QWXC' },
        ],
      },
    ],
  },
];

/** One clean code per national overlay, shaped like its public samples (fixtures/overlays/). */
const OVERLAY_BASES: Readonly<Record<string, readonly Obj[]>> = {
  // natsu90/duitnowqr-test (MAE app, no amount)
  duitnow: [
    { id: '00', value: '02' },
    { id: '01', value: '11' },
    {
      id: '26',
      children: [
        { id: '00', value: 'A0000006150001' },
        { id: '01', value: '588734' },
        { id: '02', value: 'MAEPP111134456652251' },
      ],
    },
    { id: '52', value: '0000' },
    { id: '53', value: '458' },
    { id: '58', value: 'MY' },
    { id: '59', value: 'MOHD SULAIMAN' },
    { id: '60', value: 'MY' },
  ],
  // maythiwat/promptparse (P2P to a mobile number: no 52, 59, 60)
  promptpay: [
    { id: '00', value: '01' },
    { id: '01', value: '11' },
    {
      id: '29',
      children: [
        { id: '00', value: 'A000000677010111' },
        { id: '01', value: '0066812223333' },
      ],
    },
    { id: '53', value: '764' },
    { id: '58', value: 'TH' },
  ],
  // sunary/vietqr (to an account: no 52, 59, 60)
  vietqr: [
    { id: '00', value: '01' },
    { id: '01', value: '11' },
    {
      id: '38',
      children: [
        { id: '00', value: 'A000000727' },
        { id: '01', value: '000697041801101234567890' },
        { id: '02', value: 'QRIBFTTA' },
      ],
    },
    { id: '53', value: '704' },
    { id: '58', value: 'VN' },
  ],
  // jaynzr/go-paynow
  paynow: [
    { id: '00', value: '01' },
    { id: '01', value: '12' },
    {
      id: '26',
      children: [
        { id: '00', value: 'SG.PAYNOW' },
        { id: '01', value: '2' },
        { id: '02', value: 'S99345678ABCD' },
        { id: '03', value: '1' },
        { id: '04', value: '99991231' },
      ],
    },
    { id: '52', value: '0000' },
    { id: '53', value: '702' },
    { id: '54', value: '12.34' },
    { id: '58', value: 'SG' },
    { id: '59', value: 'ACME Pte Ltd' },
    { id: '60', value: 'Singapore' },
    { id: '62', children: [{ id: '01', value: 'INV1234' }] },
  ],
};

/** The base a row's cases start from: its profile's (and for transfer rows, a transfer). */
function baseOf(r: RuleSpec): readonly Obj[] {
  if (r.profile === 'qris') return r.kinds?.includes('transfer') ? TRANSFER_BASE : QRIS_BASE;
  return OVERLAY_BASES[r.profile] ?? EMV_BASE;
}

/** What a missing parent template is created with before a sub-object is written into it. */
const NEW_TEMPLATE: Readonly<Record<string, readonly Obj[]>> = {
  '62/99': [
    { id: '00', value: '00' },
    { id: '01', value: 'X' },
  ],
};

/** Writes `value` at `path` (null removes it), creating parents; IDs stay in ascending order. */
function setAt(nodes: readonly Obj[], path: string, value: string | null): Obj[] {
  const [head, ...rest] = path.split('/');
  const out = [...nodes];
  const i = out.findIndex((n) => n.id === head);
  if (rest.length === 0) {
    if (value === null) return i < 0 ? out : out.filter((_, k) => k !== i);
    const obj = { id: head!, value };
    if (i >= 0) out[i] = obj;
    else {
      const at = out.findIndex((n) => Number(n.id) > Number(head));
      out.splice(at < 0 ? out.length : at, 0, obj);
    }
    return out;
  }
  const parent = i >= 0 ? out[i]! : { id: head!, children: [] };
  // 62/99 leaves no room for other 62 sub-objects (62 holds at most 99 characters).
  const start = head === '62' && rest[0] === '99' && parent.children && !parent.children.some((c) => c.id === '99') ? [] : (parent.children ?? []);
  const created =
    start.length === 0 && rest.length > 1
      ? [...(NEW_TEMPLATE[`${head}/${rest[0]}`] ? [{ id: rest[0]!, children: NEW_TEMPLATE[`${head}/${rest[0]}`]! }] : [])]
      : start;
  const children = setAt(created, rest.join('/'), value);
  const obj = { id: head!, children };
  if (i >= 0) out[i] = obj;
  else {
    const at = out.findIndex((n) => Number(n.id) > Number(head));
    out.splice(at < 0 ? out.length : at, 0, obj);
  }
  return out;
}

/** Context a value needs to be judged alone: an amount on a dynamic code, a fee value with its 55. */
const CONTEXT: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  '54': { '01': '12' },
  '56': { '55': '02' },
  '57': { '55': '03' },
};

const N_FORMAT = new Set(['52', '53']);

interface Generated {
  readonly name: string;
  readonly payload: string;
  readonly bad: boolean;
  /** The concrete path the rule is checked at. */
  readonly at: string;
}

/** The payloads a row's samples and limits give (empty for rows that need a hand-written case). */
function generate(r: RuleSpec): Generated[] {
  if (r.check === 'parse' || (r.path === '*' && r.samples === undefined) || r.path === 'payload') return [];
  if (r.check === 'relax') return []; // see 'relaxations' below
  const base = baseOf(r);
  const paths = r.samples?.at !== undefined ? [r.samples.at] : expandPath(r.path).length <= 5 ? expandPath(r.path) : [expandPath(r.path)[0]!];
  let bad = r.samples?.bad;
  let good = r.samples?.good;
  if (r.check === 'present') {
    bad ??= [null];
    good ??= [];
  }
  if (r.check === 'length' && bad === undefined) {
    const min = r.limits?.min ?? 1;
    const max = r.limits!.max!;
    const fill = (n: number) => (N_FORMAT.has(paths[0]!) ? '1' : 'A').repeat(n);
    bad = [fill(max + 1), fill(min - 1)];
    good = [fill(max), fill(min)];
  }
  if (bad === undefined) return [];
  const out: Generated[] = [];
  for (const at of paths) {
    let ctx = [...base];
    if (r.check !== 'absent' && r.check !== 'present') for (const [p, v] of Object.entries(CONTEXT[at] ?? {})) ctx = setAt(ctx, p, v);
    if (r.when) for (const [p, v] of Object.entries(r.when)) ctx = setAt(ctx, p, v);
    for (const v of bad) out.push({ name: `${at} = ${JSON.stringify(v)}`, payload: encodePayload(setAt(ctx, at, v)), bad: true, at });
    for (const v of good ?? []) out.push({ name: `${at} = ${JSON.stringify(v)}`, payload: encodePayload(setAt(ctx, at, v)), bad: false, at });
    if ((good ?? []).length === 0) out.push({ name: `${at} as in the base`, payload: encodePayload(ctx), bad: false, at });
  }
  return out;
}

// ---- hand-written cases for rows without samples ------------------------------------------------

const emv = (edit: (n: Obj[]) => Obj[] = (n) => n) => encodePayload(edit([...EMV_BASE]));
const qris = (edit: (n: Obj[]) => Obj[] = (n) => n) => encodePayload(edit([...QRIS_BASE]));
/** Root objects 65-79 / 02-25 added until the payload has exactly `n` characters. */
function padded(n: number): string {
  let nodes = [...EMV_BASE];
  const ids = [...Array.from({ length: 15 }, (_, i) => String(65 + i)), ...Array.from({ length: 24 }, (_, i) => (i + 2 < 10 ? '0' : '') + (i + 2))];
  for (const id of ids) {
    const deficit = n - encodePayload(nodes).length;
    if (deficit <= 0) break;
    const template = Number(id) >= 65;
    const overhead = template ? 8 : 4;
    // Leave at least 10 for the next object when this one cannot take it all.
    // An object is at most 103 characters (a template's value holds its child's 4 + 95).
    const take = deficit <= 103 ? deficit : Math.min(103, deficit - 10);
    const value = 'P'.repeat(take - overhead);
    nodes = setAt(nodes, id, template ? null : value);
    if (template) nodes = setAt(nodes, `${id}/00`, value);
  }
  const p = encodePayload(nodes);
  expect(p.length).toBe(n);
  return p;
}

const HAND: Readonly<Record<string, { readonly bad: readonly string[]; readonly good: readonly string[]; readonly also?: readonly string[] }>> = {
  'NOT_A_STRING:payload': { bad: [42 as unknown as string], good: [] },
  'EMPTY_INPUT:payload': { bad: ['', ' \r\n'], good: [emv() + '\n'] },
  'BAD_ID:*': { bad: ['000201X10111'], good: [] },
  'BAD_LENGTH:*': { bad: ['00020159A1x6304ABCD'], good: [] },
  'TRUNCATED:*': { bad: ['0002015910Toko'], good: [] },
  'PFI_MISSING:00': {
    bad: [
      encodePayload([
        { id: '01', value: '11' },
        { id: '59', value: 'A' },
      ]),
    ],
    good: [],
  },
  'PFI_NOT_FIRST:00': {
    bad: [
      encodePayload([
        { id: '01', value: '11' },
        { id: '00', value: '01' },
      ]),
    ],
    good: [],
  },
  'CRC_MISSING:63': { bad: ['0002015901A'], good: [] },
  'CRC_NOT_LAST:63': { bad: ['0002016304ABCD5901A'], good: [] },
  'CRC_BAD_LENGTH:63': { bad: ['0002016303ABC'], good: [] },
  'CRC_BAD_FORMAT:63': { bad: ['0002016304GHIJ'], good: [] },
  'CRC_MISMATCH:63': { bad: [emv().slice(0, -4) + (emv().endsWith('0000') ? '1111' : '0000')], good: [emv()] },
  'DUPLICATE_ID:root': {
    bad: [
      encodePayload([
        { id: '00', value: '01' },
        { id: '59', value: 'A' },
        { id: '59', value: 'B' },
      ]),
    ],
    good: [],
  },
  'DUPLICATE_SUB_ID:26-51/*, 62/*, 64/*, 65-99/*, 62/50-99/*': {
    bad: [
      encodePayload(
        EMV_BASE.map((o) =>
          o.id === '62'
            ? {
                id: '62',
                children: [
                  { id: '07', value: 'A01' },
                  { id: '07', value: 'A02' },
                ],
              }
            : o,
        ),
      ),
      encodePayload(EMV_BASE.map((o) => (o.id === '29' ? { id: '29', children: [...o.children!, { id: '01', value: '1' }] } : o))),
    ],
    good: [
      encodePayload(
        EMV_BASE.map((o) =>
          o.id === '62'
            ? {
                id: '62',
                children: [
                  { id: '07', value: 'A01' },
                  { id: '05', value: 'A02' },
                ],
              }
            : o,
        ),
      ),
    ],
  },
  'TOO_LONG:payload': { bad: [padded(MAX_INPUT_LENGTH + 1)], good: [padded(MAX_INPUT_LENGTH)], also: ['LONG_PAYLOAD'] },
  'LONG_PAYLOAD:payload': { bad: [padded(MAX_PAYLOAD_LENGTH + 1)], good: [padded(MAX_PAYLOAD_LENGTH)] },
  'CRC_LOWERCASE:63': { bad: [lowercaseCrc()], good: [emv()] },
  'TEMPLATE_NOT_TLV:26-51, 62, 62/50-99, 64, 65-99': {
    bad: [emv((n) => setAt(n, '65', 'RAW'))],
    good: [emv((n) => setAt(setAt(n, '65', null), '65/00', 'RAW'))],
  },
  'MALFORMED_TEMPLATE:26-51, 62, 64, 80-99': {
    bad: [emv((n) => setAt(n, '62', 'A01'))],
    good: [emv((n) => setAt(n, '65', 'RAW')), emv((n) => setAt(n, '62/50', 'RAW'))],
    also: ['TEMPLATE_NOT_TLV'],
  },
  'LONE_SURROGATE:*': {
    bad: [emv((n) => setAt(n, '64/01', 'Toko \ud800')), emv((n) => setAt(n, '64/01', 'Toko \udc00x'))],
    good: [emv((n) => setAt(n, '64/01', 'Toko 😀'))],
  },
  'MISSING_MERCHANT_ACCOUNT:02-51': { bad: [emv((n) => setAt(n, '29', null))], good: [emv((n) => setAt(setAt(n, '29', null), '02', '4111111111111111'))] },
  'STATIC_WITH_AMOUNT:54': { bad: [emv((n) => setAt(n, '54', '10'))], good: [emv((n) => setAt(setAt(n, '01', '12'), '54', '10'))] },
  'DYNAMIC_WITHOUT_AMOUNT:01': { bad: [emv((n) => setAt(n, '01', '12'))], good: [emv((n) => setAt(setAt(n, '01', '12'), '54', '10'))] },
  // A code with a transfer template (40) and a purpose outside Table 3.23 is a payment by detection.
  'TRANSFER_BAD_PURPOSE:62/08': {
    bad: [encodePayload(setAt([...TRANSFER_BASE], '62/08', 'DMCX')), encodePayload(setAt([...TRANSFER_BASE], '62/08', 'BOOX'))],
    good: [
      encodePayload(setAt([...TRANSFER_BASE], '62/08', 'BOOK')),
      encodePayload(setAt([...TRANSFER_BASE], '62/08', 'XBCT')),
      qris((n) => setAt(n, '62/08', 'SALE')),
    ],
    also: ['DYNAMIC_WITHOUT_AMOUNT'],
  },
  'QRIS_COUNTRY_MISMATCH:58': { bad: [emv((n) => setAt(n, '53', '360'))], good: [emv()] },
};

/** A small payload whose reference CRC has a hex letter, with the CRC written in lowercase. */
function lowercaseCrc(): string {
  for (const name of 'ABCDEFGHIJKLMNOP') {
    const p = emv((n) => setAt(n, '59', name));
    if (/[A-F]/.test(p.slice(-4))) return p.slice(0, -4) + p.slice(-4).toLowerCase();
  }
  throw new Error('no CRC with a letter');
}

/** A row's key: code and path, and its profile for overlay rows (four schemes share SCHEME_BAD_CURRENCY at 53). */
const key = (r: RuleSpec) => `${r.code}:${r.path}${r.profile === 'emvco' || r.profile === 'qris' ? '' : `@${r.profile}`}`;
const codesOf = (issues: readonly QrisIssue[]) => new Set(issues.map((i) => i.code));

describe('the rule table', () => {
  it('every row has a unique (code, path), a source, and rows sharing a code share their strength', () => {
    expect(new Set(rules.map((r) => `${key(r)}:${r.check}`)).size).toBe(rules.length);
    for (const r of rules) expect(r.source.length, key(r)).toBeGreaterThan(0);
    for (const [code, severity] of Object.entries(VALIDATION_CODES)) {
      for (const r of rules.filter((x) => x.code === code)) expect(r.strength === 'MUST' ? 'error' : 'warning', key(r)).toBe(severity);
    }
  });

  it('spec.ts name tables agree with the rule values (criteria, national GUIDs)', async () => {
    const spec = await import('../src/qris/spec.js');
    const { valuesOf } = await import('../src/qris/rules.js');
    expect(Object.keys(spec.MERCHANT_CRITERIA).sort()).toEqual([...valuesOf('QRIS_BAD_CRITERIA', '26-45/03, 51/03')].sort());
    expect(spec.QRIS_NATIONAL_GUIDS).toEqual(valuesOf('QRIS_BAD_NATIONAL_GUID', '51/00'));
  });

  it('every row is covered: generated from its samples / limits, or by a hand-written case', () => {
    const uncovered = rules.filter((r) => r.check !== 'relax' && generate(r).filter((g) => g.bad).length === 0 && HAND[key(r)] === undefined).map(key);
    expect(uncovered).toEqual([]);
    for (const k of Object.keys(HAND)) expect(rules.map(key), k).toContain(k);
  });
});

describe.each(rules.filter((r) => r.check !== 'relax').map((r) => [key(r), r] as const))('rule %s', (_k, r) => {
  const severity = r.strength === 'MUST' ? 'error' : 'warning';
  const allowed = new Set([r.code, ...(r.samples?.alsoBreaks ?? []), ...(HAND[key(r)]?.also ?? [])]);
  const generated = generate(r);
  const bad = generated.filter((g) => g.bad);
  const good = generated.filter((g) => !g.bad);

  it.each(bad.map((g) => [g.name, g] as const))('breaks only this rule: %s', (_n, g) => {
    const res = validate(g.payload);
    const hit = res.issues.filter((i) => i.code === r.code && i.tag === g.at);
    expect(
      hit.map((i) => i.severity),
      JSON.stringify(res.issues),
    ).toEqual([severity]);
    expect(
      [...codesOf(res.issues)].filter((c) => !allowed.has(c)),
      JSON.stringify(res.issues),
    ).toEqual([]);
    expect(res.valid).toBe(severity !== 'error' && !res.issues.some((i) => i.severity === 'error'));
    expect(res.profile).toBe(r.profile);
  });

  it.each(good.map((g) => [g.name, g] as const))('just inside: %s', (_n, g) => {
    const res = validate(g.payload);
    expect(res.issues, JSON.stringify(res.issues)).toEqual([]);
    expect(res.valid).toBe(true);
  });

  const hand = HAND[key(r)];
  if (hand) {
    it.each(hand.bad.map((p, i) => [i, p] as const))('hand case %i breaks it', (_i, p) => {
      const res = validate(p);
      expect(
        res.issues.filter((i) => i.code === r.code).map((i) => i.severity),
        JSON.stringify(res.issues),
      ).toContain(severity);
      expect(
        [...codesOf(res.issues)].filter((c) => !allowed.has(c)),
        JSON.stringify(res.issues),
      ).toEqual([]);
    });
    it.each(hand.good.map((p, i) => [i, p] as const))('hand case %i is just inside', (_i, p) => {
      const res = validate(p);
      expect(
        res.issues.filter((i) => i.code === r.code),
        JSON.stringify(res.issues),
      ).toEqual([]);
      expect(res.issues.filter((i) => !allowed.has(i.code))).toEqual([]);
    });
  }
});

/** How to break, on an overlay's base, the EMVCo row a relax row names (at one concrete path). */
function breakForRelax(r: RuleSpec, at: string): Obj[] {
  const base = [...OVERLAY_BASES[r.profile]!];
  if (r.code === 'MISSING_TAG') return setAt(base, at, null);
  if (r.values !== undefined) return setAt(base, at, r.values[0]!);
  // MALFORMED_TEMPLATE / TEMPLATE_NOT_TLV at 8x, MISSING_GUID at 8x/00: 8x holds raw text.
  return setAt(base, at.split('/')[0]!, '0048006500');
}

describe.each(rules.filter((r) => r.check === 'relax').map((r) => [key(r), r] as const))('relaxation %s', (_k, r) => {
  it.each(expandPath(r.path).map((at) => [at] as const))('EMVCo reports it at %s, the overlay does not, and nothing else is dropped', (at) => {
    const payload = encodePayload(breakForRelax(r, at));
    const emvco = validate(payload, { profile: 'emvco' });
    expect(
      emvco.issues.filter((i) => i.code === r.code && i.tag === at),
      JSON.stringify(emvco.issues),
    ).toHaveLength(1);
    const overlay = validate(payload);
    expect(overlay.profile).toBe(r.profile);
    expect(overlay.issues.filter((i) => i.code === r.code && i.tag === at)).toEqual([]);
    expect(overlay.valid, JSON.stringify(overlay.issues)).toBe(true);
  });
});

describe('length caps: 513-4096 read with a warning, over 4096 refused before any scan', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a 4096-character payload parses, round-trips through info and validates with only LONG_PAYLOAD', () => {
    const p = padded(MAX_INPUT_LENGTH);
    expect(parse(p).nodes.at(-1)!.id).toBe('63');
    expect(info(p).merchantName).toBe('SHOP');
    expect(validate(p).issues.map((i) => [i.severity, i.code, i.offset])).toEqual([['warning', 'LONG_PAYLOAD', MAX_PAYLOAD_LENGTH]]);
  });

  it('refusing a 10 MB string reads O(1) characters of it (charCodeAt calls counted, not timed)', () => {
    const big = '0'.repeat(10_000_000);
    const spy = vi.spyOn(String.prototype, 'charCodeAt');
    const res = validate(big);
    const calls = spy.mock.calls.length;
    spy.mockRestore();
    expect(res.issues.map((i) => i.code)).toEqual(['TOO_LONG']);
    expect(calls).toBeLessThan(64);
    // Just past 2 x 4096 UTF-16 units: the same O(1) path. At 4097 code points the count is bounded by the cap.
    expect(validate('0'.repeat(2 * MAX_INPUT_LENGTH + 1)).issues[0]!.message).toContain('4096');
    expect(validate('😀'.repeat(MAX_INPUT_LENGTH + 1)).issues.map((i) => i.code)).toEqual(['TOO_LONG']);
  });
});

describe("property: the codes validate reports are the table's", () => {
  it('for mutated and generated payloads under either profile: never throws, every code is in VALIDATION_CODES with its severity, valid iff no error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          mutatedPayloadArb.map((m) => m.mutated),
          staticCaseArb().map((k) => k.payload),
          fc.string({ maxLength: 60 }),
        ),
        fc.constantFrom(undefined, 'emvco' as const, 'qris' as const),
        (p, profile) => {
          const r = profile === undefined ? validate(p) : validate(p, { profile });
          for (const i of r.issues) expect(VALIDATION_CODES[i.code as keyof typeof VALIDATION_CODES], i.code).toBe(i.severity);
          expect(r.valid).toBe(!r.issues.some((i) => i.severity === 'error'));
          if (profile !== undefined) expect(r.profile).toBe(profile);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('profiles', () => {
  it('qris is the default when 58 = ID, emvco otherwise; the result names it', () => {
    expect(validate(qris()).profile).toBe('qris');
    expect(validate(emv()).profile).toBe('emvco');
    expect(validate(emv())).toEqual({ valid: true, profile: 'emvco', kind: 'payment', issues: [] });
  });

  it('a Thai or Malaysian code is judged by EMVCo rules alone; forcing qris adds the QRIS rows', () => {
    const my = emv((n) => setAt(setAt(n, '58', 'MY'), '53', '458'));
    expect(validate(my)).toEqual({ valid: true, profile: 'emvco', kind: 'payment', issues: [] });
    // As QRIS: 29/00 must be a reverse domain or 00 (not an AID), its PAN's NNS is unknown, and a static code needs 51.
    const forced = validate(my, { profile: 'qris' });
    expect(forced.profile).toBe('qris');
    expect(forced.issues.map((i) => `${i.code}@${i.tag}`).sort()).toEqual(['BAD_GUID@29/00', 'QRIS_BAD_NNS@29/01', 'QRIS_NO_NATIONAL_TEMPLATE@51'].sort());
  });

  it('emvco on an Indonesian code drops the QRIS rows (no 51 needed, GUID "00" is an EMVCo error)', () => {
    const noNational = qris((n) => setAt(n, '51', null));
    expect(validate(noNational).issues.map((i) => i.code)).toEqual(['QRIS_NO_NATIONAL_TEMPLATE']);
    expect(validate(noNational, { profile: 'emvco' })).toEqual({ valid: true, profile: 'emvco', kind: 'payment', issues: [] });
    const guid00 = qris((n) => setAt(n, '26/00', '00'));
    expect(validate(guid00)).toEqual({ valid: true, profile: 'qris', kind: 'payment', issues: [] });
    expect(validate(guid00, { profile: 'emvco' }).issues.map((i) => `${i.code}@${i.tag}`)).toEqual(['BAD_GUID@26/00']);
  });

  it('a bad profile option is BAD_OPTION', () => {
    expect(() => validate(qris(), { profile: 'th' as 'qris' })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });
});

describe('README', () => {
  it('the rule table in the README is the one generated from RULES (npm run rules:readme)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const a = readme.indexOf(README_MARKERS[0]);
    const b = readme.indexOf(README_MARKERS[1]);
    expect(a).toBeGreaterThan(0);
    expect(readme.slice(a + README_MARKERS[0].length, b)).toBe(`\n${renderRulesTable(rules)}\n`);
  });

  it('the table lists every row once, with strength and source', () => {
    const table = renderRulesTable(rules);
    expect(table.split('\n').filter((l) => l.startsWith('| `')).length).toBe(rules.length);
    expect(table).toContain('| `QRIS_BAD_PAN` | 26-45/01 | MUST | qris |');
  });
});

describe('issue messages are plain sentences; the rule source is a field of its own', () => {
  const cases = rules.flatMap((r) =>
    generate(r)
      .filter((g) => g.bad)
      .map((g) => [`${key(r)} ${g.name}`, r, g] as const),
  );
  it.each(cases)('%s', (_n, r, g) => {
    const hit = validate(g.payload).issues.filter((i) => i.code === r.code && i.tag === g.at);
    expect(hit).toHaveLength(1);
    const issue = hit[0]!;
    expect(issue.source).toBe(r.source);
    expect(issue.message).toMatch(/^[A-Z"].*[.]$/s);
    expect(issue.message).not.toMatch(/\b(must|should): |`/);
    expect(issue.message).not.toContain(`(${r.source})`);
    // The row's words for the README's table are not pasted in (the sentence says it in its own words).
    if (r.text.length > 12) expect(issue.message).not.toContain(r.text);
  });

  it('examples as a person reads them', () => {
    const at = (payload: string, code: string) => validate(payload).issues.find((i) => i.code === code)!;
    const long = at(
      qris((n) => setAt(n, '59', 'A'.repeat(26))),
      'BAD_VALUE_LENGTH',
    );
    expect(long).toMatchObject({
      message: 'Merchant Name (59) has 26 characters. It must be 1 to 25 characters long.',
      source: 'EMV mv, np',
      tag: '59',
    });
    expect(
      at(
        qris((n) => setAt(n, '01', '13')),
        'BAD_POINT_OF_INITIATION',
      ).message,
    ).toBe('Point of Initiation Method (01) is "13". It must be 11 or 12.');
    expect(
      at(
        qris((n) => setAt(n, '54', '1.000.0')),
        'BAD_AMOUNT',
      ).message,
    ).toMatch(/^Transaction Amount \(54\) is "1\.000\.0"\. It must be digits with at most one '\.'/);
  });
});
