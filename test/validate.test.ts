/**
 * validate(): every code in VALIDATION_CODES is produced by a real input (a table test fails if a
 * code has no case), each case asserts the complete list of issues (severity, code, tag, offset),
 * and the real corpus validates as the spec says. Offsets come from the reference encoder
 * (encodeWithOffsets), never from the parser under test.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { build, parse, toDynamic, validate, VALIDATION_CODES } from '../src/index.js';
import type { QrisIssue, ValidationCode } from '../src/index.js';
import corpus from '../fixtures/dev-payloads.json' with { type: 'json' };
import { mutatedPayloadArb } from './arbitraries.js';
import { buildCaseArb, crcRef, encodeWithOffsets, type Obj, staticCaseArb } from './qris-arbitraries.js';

const RUNS = { numRuns: 150 };

// ---- a clean base code and edits on it -------------------------------------------------------------

const ACCOUNT: Obj = {
  id: '26',
  children: [
    { id: '00', value: 'ID.CO.BCA.WWW' },
    { id: '01', value: '936000140001287667' },
    { id: '02', value: '000885001287667' },
    { id: '03', value: 'UKE' },
  ],
};
const NATIONAL: Obj = {
  id: '51',
  children: [
    { id: '00', value: 'ID.CO.QRIS.WWW' },
    { id: '02', value: 'ID1021081861606' },
    { id: '03', value: 'UKE' },
  ],
};
/** BCA GREEN PAW, the real static code, as objects. */
const BASE: readonly Obj[] = [
  { id: '00', value: '01' },
  { id: '01', value: '11' },
  ACCOUNT,
  NATIONAL,
  { id: '52', value: '0742' },
  { id: '53', value: '360' },
  { id: '58', value: 'ID' },
  { id: '59', value: 'GREEN PAW' },
  { id: '60', value: 'TANGSEL' },
  { id: '61', value: '15323' },
  { id: '62', children: [{ id: '07', value: 'A01' }] },
];

/** BASE with root objects replaced (same position), inserted (ascending position) or removed (null). */
function edit(changes: Record<string, Obj | string | null>, from: readonly Obj[] = BASE): Obj[] {
  let out = [...from];
  for (const [id, change] of Object.entries(changes)) {
    const obj: Obj | null = typeof change === 'string' ? { id, value: change } : change;
    const i = out.findIndex((n) => n.id === id);
    if (obj === null) out = out.filter((n) => n.id !== id);
    else if (i >= 0) out[i] = obj;
    else {
      const at = out.findIndex((n) => Number(n.id) > Number(id));
      out.splice(at < 0 ? out.length : at, 0, obj);
    }
  }
  return out;
}

/** A template with one sub-object replaced / added (in order) / removed. */
function sub(template: Obj, id: string, value: string | null): Obj {
  let children = [...(template.children ?? [])];
  const i = children.findIndex((c) => c.id === id);
  if (value === null) children = children.filter((c) => c.id !== id);
  else if (i >= 0) children[i] = { id, value };
  else children.push({ id, value });
  return { id: template.id, children };
}

// ---- the case table ----------------------------------------------------------------------------------

interface Expected {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly tag: string;
  /** Offset: a tag path of the reference encoder, a number, or null for none. Default: `tag`. */
  readonly at?: string | number | null;
}

interface Case {
  readonly name: string;
  readonly payload: string;
  readonly offsets: ReadonlyMap<string, number>;
  readonly issues: readonly Expected[];
}

const E = (code: string, tag: string, at?: string | number | null): Expected => (at === undefined ? { severity: 'error', code, tag } : { severity: 'error', code, tag, at });
const W = (code: string, tag: string, at?: string | number | null): Expected => (at === undefined ? { severity: 'warning', code, tag } : { severity: 'warning', code, tag, at });

function c(name: string, nodes: readonly Obj[], issues: readonly Expected[]): Case {
  const { payload, offsets } = encodeWithOffsets(nodes);
  return { name, payload, offsets, issues };
}

const base = encodeWithOffsets(BASE);
const withCrcText = (payload: string, crc: string): Case['payload'] => payload.slice(0, -4) + crc;

const CASES: readonly Case[] = [
  { name: 'wrong CRC', payload: withCrcText(base.payload, '0000'), offsets: base.offsets, issues: [E('CRC_MISMATCH', '63', base.payload.length - 4)] },
  { name: 'lowercase CRC (6d3f)', payload: withCrcText(base.payload, '6d3f'), offsets: base.offsets, issues: [W('CRC_LOWERCASE', '63', base.payload.length - 4)] },
  // TEMPLATE_NOT_TLV: the offset is where the scan of the value failed (its first character here).
  c('62 value is not TLV', edit({ '62': 'A01' }), [E('TEMPLATE_NOT_TLV', '62', 'value:62')]),
  c('26 value is not TLV', edit({ '26': 'ID.CO.BCA.WWW' }), [E('TEMPLATE_NOT_TLV', '26', 'value:26')]),
  c('62/50 (payment-system template) is not TLV', edit({ '62': { id: '62', children: [{ id: '07', value: 'A01' }, { id: '50', value: 'XYZ' }] } }), [W('TEMPLATE_NOT_TLV', '62/50', 'value:62/50')]),
  c('81 (unreserved template) is not TLV', edit({ '81': 'XYZ' }), [W('TEMPLATE_NOT_TLV', '81', 'value:81')]),
  c('no 59', edit({ '59': null }), [E('MISSING_TAG', '59', null)]),
  c('no 52, no 60', edit({ '52': null, '60': null }), [E('MISSING_TAG', '52', null), E('MISSING_TAG', '60', null)]),
  c('no merchant account at all', edit({ '26': null, '51': null }), [E('MISSING_MERCHANT_ACCOUNT', '26', null), W('QRIS_NO_NATIONAL_TEMPLATE', '51', null)]),
  c('MCC with a letter', edit({ '52': '07A2' }), [E('BAD_FORMAT', '52')]),
  c('tab in the merchant name', edit({ '59': 'GREEN\tPAW' }), [E('BAD_FORMAT', '59')]),
  c('control character in 26/02', edit({ '26': sub(ACCOUNT, '02', '0008\u0000') }), [E('BAD_FORMAT', '26/02')]),
  c('control character in 62/07', edit({ '62': { id: '62', children: [{ id: '07', value: 'A\u007f1' }] } }), [E('BAD_FORMAT', '62/07')]),
  c('newline in 64/01 (alternate-language name)', edit({ '64': { id: '64', children: [{ id: '00', value: 'ZH' }, { id: '01', value: '最佳\n运输' }] } }), [E('BAD_FORMAT', '64/01')]),
  c('non-ASCII merchant name', edit({ '59': 'Kopi Señor Café' }), [W('NON_ASCII', '59')]),
  c('emoji in the city', edit({ '60': 'Ubud 🌴' }), [W('NON_ASCII', '60')]),
  c('3-digit MCC', edit({ '52': '111' }), [E('BAD_VALUE_LENGTH', '52')]),
  c('26-character merchant name', edit({ '59': 'INFAQ/SEDEKAH AMANAH ASTRA' }), [E('BAD_VALUE_LENGTH', '59')]),
  c('16-character city', edit({ '60': 'KABUPATEN BANDUN' }), [E('BAD_VALUE_LENGTH', '60')]),
  c('26-character 62/01', edit({ '62': { id: '62', children: [{ id: '01', value: 'B'.repeat(26) }] } }), [E('BAD_VALUE_LENGTH', '62/01')]),
  c('empty 62', edit({ '62': '' }), [E('BAD_VALUE_LENGTH', '62')]),
  c('26-character 64/01 and 16-character 64/02', edit({ '64': { id: '64', children: [{ id: '00', value: 'ID' }, { id: '01', value: 'N'.repeat(26) }, { id: '02', value: 'C'.repeat(16) }] } }), [
    E('BAD_VALUE_LENGTH', '64/01'),
    E('BAD_VALUE_LENGTH', '64/02'),
  ]),
  c('payload format 02', edit({ '00': '02' }), [E('BAD_PAYLOAD_FORMAT', '00')]),
  c('point of initiation 13', edit({ '01': '13' }), [E('BAD_POINT_OF_INITIATION', '01')]),
  c('amount with an exponent', edit({ '01': '12', '54': '1e5' }), [E('BAD_AMOUNT', '54')]),
  c('amount zero', edit({ '01': '12', '54': '0.00' }), [E('BAD_AMOUNT', '54')]),
  c('negative amount', edit({ '01': '12', '54': '-100' }), [E('BAD_AMOUNT', '54')]),
  c('static code with an amount', edit({ '54': '1000' }), [W('STATIC_WITH_AMOUNT', '54')]),
  c('dynamic code without an amount', edit({ '01': '12' }), [W('DYNAMIC_WITHOUT_AMOUNT', '01')]),
  c('tip indicator 04', edit({ '55': '04' }), [E('BAD_TIP_INDICATOR', '55')]),
  c('fixed fee without 56', edit({ '55': '02' }), [E('FEE_VALUE_MISSING', '55')]),
  c('percentage fee without 57', edit({ '55': '03' }), [E('FEE_VALUE_MISSING', '55')]),
  c('56 without 55', edit({ '56': '500' }), [E('FEE_VALUE_UNEXPECTED', '56')]),
  c('57 next to a fixed fee', edit({ '55': '02', '56': '500', '57': '1.5' }), [E('FEE_VALUE_UNEXPECTED', '57')]),
  c('percentage fee of 100', edit({ '55': '03', '57': '100' }), [E('BAD_FEE', '57')]),
  c('fixed fee of zero', edit({ '55': '02', '56': '0' }), [E('BAD_FEE', '56')]),
  c('26 without a GUID', edit({ '26': sub(ACCOUNT, '00', null) }), [E('MISSING_GUID', '26')]),
  c('unreserved 80 without a GUID', edit({ '80': { id: '80', children: [{ id: '01', value: 'X' }] } }), [W('MISSING_GUID', '80')]),
  c('GUID "00" (the real BCA dynamic)', edit({ '26': sub(ACCOUNT, '00', '00') }), [W('BAD_GUID', '26/00')]),
  c('GUID with a space', edit({ '26': sub(ACCOUNT, '00', 'ID CO BCA') }), [W('BAD_GUID', '26/00')]),
  c('62/07 twice', edit({ '62': { id: '62', children: [{ id: '07', value: 'A01' }, { id: '07', value: 'A02' }] } }), [E('DUPLICATE_SUB_ID', '62/07')]),
  c('26/01 twice', edit({ '26': { id: '26', children: [...ACCOUNT.children!, { id: '01', value: '936000140000000000' }] } }), [E('DUPLICATE_SUB_ID', '26/01')]),
  c('62/12 (RFU)', edit({ '62': { id: '62', children: [{ id: '07', value: 'A01' }, { id: '12', value: 'X' }] } }), [W('RFU_SUB_ID', '62/12')]),
  c('62/00', edit({ '62': { id: '62', children: [{ id: '00', value: 'X' }, { id: '07', value: 'A01' }] } }), [W('RFU_SUB_ID', '62/00')]),
  c('62/09 = AA', edit({ '62': { id: '62', children: [{ id: '09', value: 'AA' }] } }), [E('BAD_CONSUMER_DATA_REQUEST', '62/09')]),
  c('62/09 = X', edit({ '62': { id: '62', children: [{ id: '09', value: 'X' }] } }), [E('BAD_CONSUMER_DATA_REQUEST', '62/09')]),
  c('64 without a name', edit({ '64': { id: '64', children: [{ id: '00', value: 'ID' }] } }), [E('LANGUAGE_INCOMPLETE', '64')]),
  c('64 without a preference', edit({ '64': { id: '64', children: [{ id: '01', value: 'Toko' }] } }), [E('LANGUAGE_INCOMPLETE', '64')]),
  c('64/00 = IND', edit({ '64': { id: '64', children: [{ id: '00', value: 'IND' }, { id: '01', value: 'Toko' }] } }), [E('BAD_LANGUAGE', '64/00')]),
  c('54 after 58 (PromptPay style)', [...edit({ '01': '12' }).slice(0, 7), { id: '54', value: '1000' }, ...edit({ '01': '12' }).slice(7)], [W('TAGS_NOT_SORTED', '54')]),
  c('Indonesian code in USD', edit({ '53': '840' }), [E('QRIS_BAD_CURRENCY', '53')]),
  c('Indonesian code without 01', edit({ '01': null }), [E('QRIS_MISSING_POINT_OF_INITIATION', '01', null)]),
  c('Indonesian code without 51', edit({ '51': null }), [W('QRIS_NO_NATIONAL_TEMPLATE', '51', null)]),
  c('51 GUID ID.CO.JALIN.WWW', edit({ '51': sub(NATIONAL, '00', 'ID.CO.JALIN.WWW') }), [W('QRIS_BAD_NATIONAL_GUID', '51/00')]),
  c('51 without an NMID', edit({ '51': sub(NATIONAL, '02', null) }), [W('QRIS_MISSING_NMID', '51')]),
  c('NMID ZPM100000000000', edit({ '51': sub(NATIONAL, '02', 'ZPM100000000000') }), [W('QRIS_BAD_NMID', '51/02')]),
  c('NMID too short', edit({ '51': sub(NATIONAL, '02', 'ID123') }), [W('QRIS_BAD_NMID', '51/02')]),
  c('criteria XYZ', edit({ '26': sub(ACCOUNT, '03', 'XYZ') }), [W('QRIS_BAD_CRITERIA', '26/03')]),
  c('51 criteria umi (lowercase)', edit({ '51': sub(NATIONAL, '03', 'umi') }), [W('QRIS_BAD_CRITERIA', '51/03')]),
  c('PAN without an Indonesian NNS', edit({ '26': sub(ACCOUNT, '01', '123456789012345678') }), [W('QRIS_BAD_NNS', '26/01')]),
  c('IDR with country MY', edit({ '58': 'MY' }), [W('QRIS_COUNTRY_MISMATCH', '58')]),
];

function offsetOf(k: Case, e: Expected): number | undefined {
  const at = e.at === undefined ? e.tag : e.at;
  if (at === null) return undefined;
  if (typeof at === 'number') return at;
  if (at.startsWith('value:')) {
    const o = k.offsets.get(at.slice(6));
    if (o === undefined) throw new Error(`no offset for ${at}`);
    return o + 4;
  }
  const o = k.offsets.get(at);
  if (o === undefined) throw new Error(`no offset for ${at} in ${k.name}`);
  return o;
}

const key = (i: { severity: string; code: string; tag?: string | undefined; offset?: number | undefined }): string => `${i.severity} ${i.code} ${i.tag} @${i.offset}`;

describe('validate: one real input per issue code', () => {
  it('the base code (BCA GREEN PAW) is the real corpus payload and has no issue at all', () => {
    expect(base.payload).toBe(corpus.find((e) => e.payload.includes('GREEN PAW'))!.payload);
    expect(validate(base.payload)).toEqual({ valid: true, issues: [] });
  });

  it.each(CASES.map((k) => [k.name, k] as const))('%s', (_name, k) => {
    const r = validate(k.payload);
    const expected = k.issues.map((e) => key({ severity: e.severity, code: e.code, tag: e.tag, offset: offsetOf(k, e) }));
    expect(r.issues.map(key).sort()).toEqual([...expected].sort());
    expect(r.valid).toBe(!k.issues.some((e) => e.severity === 'error'));
    for (const i of r.issues) expect(typeof i.message === 'string' && i.message.length > 0).toBe(true);
  });

  it('every code in VALIDATION_CODES is produced by at least one case above, with the documented severity', () => {
    const produced = new Map<string, Set<string>>();
    for (const k of CASES) {
      for (const i of validate(k.payload).issues) {
        if (!produced.has(i.code)) produced.set(i.code, new Set());
        produced.get(i.code)!.add(i.severity);
      }
    }
    const codes = Object.keys(VALIDATION_CODES) as ValidationCode[];
    expect(codes.length).toBeGreaterThanOrEqual(34);
    const missing = codes.filter((code) => !produced.has(code));
    expect(missing, 'codes without a case').toEqual([]);
    for (const code of codes) {
      const doc = VALIDATION_CODES[code];
      const severities = [...produced.get(code)!];
      if (doc === 'error' || doc === 'warning') expect(severities, code).toEqual([doc]);
      else expect(new Set(severities), code).toEqual(new Set(['error', 'warning'])); // TEMPLATE_NOT_TLV, MISSING_GUID: both, by position
    }
    // Nothing outside the table is produced for a structurally sound payload.
    for (const code of produced.keys()) expect(codes).toContain(code);
  });

  it('issues come in payload order (by offset), those without an offset last', () => {
    const k = c('many problems', edit({ '00': '02', '01': '13', '59': 'Señor', '52': null, '55': '04', '26': sub(ACCOUNT, '03', 'XYZ') }), []);
    const issues = validate(k.payload).issues;
    expect(issues.length).toBeGreaterThanOrEqual(5);
    const offsets = issues.map((i) => i.offset ?? Infinity);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(issues.map((i) => i.code)).toEqual(['BAD_PAYLOAD_FORMAT', 'BAD_POINT_OF_INITIATION', 'QRIS_BAD_CRITERIA', 'BAD_TIP_INDICATOR', 'NON_ASCII', 'MISSING_TAG']);
  });

  it('QRIS criteria PSO and BLU (government codes) are accepted', () => {
    expect(validate(c('PSO', edit({ '26': sub(ACCOUNT, '03', 'PSO'), '51': sub(NATIONAL, '03', 'BLU') }), []).payload)).toEqual({ valid: true, issues: [] });
  });

  it('a non-Indonesian code gets no QRIS profile checks', () => {
    const k = c('Malaysia', edit({ '53': '458', '58': 'MY', '51': null, '26': sub(ACCOUNT, '01', '123') }), []);
    expect(validate(k.payload)).toEqual({ valid: true, issues: [] });
  });
});

describe('validate on broken input', () => {
  it('a structurally broken payload gives one error issue with the parse error code, offset and tag', () => {
    const yann = corpus.find((e) => e.payload.includes('Yann%20Store'))!.payload;
    const r = validate(yann);
    expect(r.valid).toBe(false);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ severity: 'error', code: 'BAD_ID', offset: 160 });
    expect(r.issues[0]!.tag).toBeUndefined();
    const koma = validate(corpus.find((e) => e.payload.includes('KOMA MINIMAL'))!.payload);
    expect(koma.issues.map((i) => [i.code, i.offset, i.tag])).toEqual([['BAD_LENGTH', 116, '07']]);
    expect(validate('').issues.map((i) => i.code)).toEqual(['EMPTY_INPUT']);
    expect(validate(42 as unknown as string).issues.map((i) => i.code)).toEqual(['NOT_A_STRING']);
  });

  it('accepts a parse result (verifyCrc: false keeps a CRC mismatch reportable)', () => {
    const bad = withCrcText(base.payload, '0000');
    expect(validate(parse(bad, { verifyCrc: false })).issues.map((i) => i.code)).toEqual(['CRC_MISMATCH']);
    expect(validate(parse(base.payload))).toEqual({ valid: true, issues: [] });
  });

  it('property: validate never throws on mutated payloads or arbitrary strings; an error issue means valid is false', () => {
    fc.assert(
      fc.property(fc.oneof(mutatedPayloadArb.map((m) => m.mutated), fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 })), (s) => {
        const r = validate(s);
        expect(r.valid).toBe(!r.issues.some((i: QrisIssue) => i.severity === 'error'));
      }),
      RUNS,
    );
  });
});

describe('validate on the real corpus', () => {
  const indonesian = corpus.filter((e) => e.crc_valid && e.country === 'ID');
  const ASTRAPAY = 'INFAQ/SEDEKAH AMANAH ASTRA';

  it('every CRC-valid Indonesian entry has no error, except AstraPay INFAQ/SEDEKAH (3-digit 52, 26-character 59)', () => {
    expect(indonesian).toHaveLength(34);
    for (const e of indonesian) {
      const errors = validate(e.payload).issues.filter((i) => i.severity === 'error');
      if (e.payload.includes(ASTRAPAY)) continue;
      expect(errors, e.notes).toEqual([]);
    }
  });

  it('AstraPay INFAQ/SEDEKAH: exactly two BAD_VALUE_LENGTH errors, at 52 (offset 80) and 59 (offset 100)', () => {
    const p = indonesian.find((e) => e.payload.includes(ASTRAPAY))!.payload;
    // Read by eye: 26 (length 64) spans 12-79, so 52 starts at 80 as "5203111"; 53 at 87, 58 at 94, 59 at 100.
    expect(p.slice(80, 87)).toBe('5203111');
    expect(p.slice(100, 104)).toBe('5926');
    const r = validate(p);
    expect(r.valid).toBe(false);
    expect(r.issues.filter((i) => i.severity === 'error').map((i) => [i.code, i.tag, i.offset])).toEqual([
      ['BAD_VALUE_LENGTH', '52', 80],
      ['BAD_VALUE_LENGTH', '59', 100],
    ]);
    // It has no 51 either (a warning, as in several real codes).
    expect(r.issues.filter((i) => i.severity === 'warning').map((i) => i.code)).toEqual(['QRIS_NO_NATIONAL_TEMPLATE']);
  });

  it('warnings on real codes: BCA GUID "00", Jalin/Neo national GUIDs, Zipay NMID, ShopeePay transfer', () => {
    const w = (k: string) => validate(corpus.find((e) => e.payload.includes(k))!.payload).issues.map((i) => [i.severity, i.code, i.tag]);
    expect(w('OMBE KOFIE-HO')).toEqual([
      ['warning', 'BAD_GUID', '26/00'],
      ['warning', 'QRIS_NO_NATIONAL_TEMPLATE', '51'],
    ]);
    expect(w('Merchant Jalin UAT')).toEqual([['warning', 'QRIS_BAD_NATIONAL_GUID', '51/00']]);
    expect(w('TESTMRCH')).toEqual([
      ['warning', 'QRIS_BAD_NATIONAL_GUID', '51/00'],
      ['warning', 'QRIS_BAD_NMID', '51/02'],
    ]);
    expect(w('0804DMCT9935')).toEqual([
      ['warning', 'DYNAMIC_WITHOUT_AMOUNT', '01'],
      ['warning', 'QRIS_BAD_NNS', '40/01'],
      ['warning', 'TEMPLATE_NOT_TLV', '62/99'],
      ['warning', 'QRIS_NO_NATIONAL_TEMPLATE', '51'],
    ]);
  });

  it('foreign codes: PromptPay lacks 52/59/60 (errors) and is unsorted; DuitNow has payload format 02', () => {
    const codes = (k: string) => validate(corpus.find((e) => e.payload.includes(k))!.payload).issues.map((i) => `${i.code}@${i.tag}`);
    expect(codes('540520.15').sort()).toEqual(['MISSING_TAG@52', 'MISSING_TAG@59', 'MISSING_TAG@60', 'TAGS_NOT_SORTED@54']);
    expect(codes('TAKOYAKI')).toEqual(['BAD_PAYLOAD_FORMAT@00']);
  });

  it('every static Indonesian entry stays error-free after toDynamic (the AstraPay one keeps only its own two errors)', () => {
    for (const e of indonesian.filter((x) => x.kind === 'static')) {
      const r = validate(toDynamic(e.payload, { amount: 15000, fee: { type: 'fixed', value: 1000 }, billNumber: 'INV-1' }));
      const errors = r.issues.filter((i) => i.severity === 'error').map((i) => `${i.code}@${i.tag}`);
      expect(errors, e.notes).toEqual(e.payload.includes(ASTRAPAY) ? ['BAD_VALUE_LENGTH@52', 'BAD_VALUE_LENGTH@59'] : []);
      expect(r.issues.map((i) => i.code)).not.toContain('DYNAMIC_WITHOUT_AMOUNT');
    }
  });
});

describe('validate on generated payloads', () => {
  it('property: generated static QRIS codes are valid; NON_ASCII exactly for non-ASCII 59/60, TAGS_NOT_SORTED exactly for unsorted ones', () => {
    fc.assert(
      fc.property(staticCaseArb({ with53: 'always' }), (k) => {
        const r = validate(k.payload);
        expect(r.valid).toBe(true);
        const v = (id: string) => k.nodes.find((n) => n.id === id)?.value ?? '';
        const nonAscii = ['59', '60'].filter((id) => /[^\u0000-\u007f]/.test(v(id)));
        expect(r.issues.filter((i) => i.code === 'NON_ASCII').map((i) => i.tag).sort()).toEqual(nonAscii);
        const ids = k.nodes.map((n) => Number(n.id));
        const sorted = ids.every((id, i) => i === 0 || id > ids[i - 1]!);
        expect(r.issues.some((i) => i.code === 'TAGS_NOT_SORTED')).toBe(!sorted);
        expect(r.issues.some((i) => i.code === 'QRIS_NO_NATIONAL_TEMPLATE')).toBe(!k.nodes.some((n) => n.id === '51'));
        for (const i of r.issues) expect(['NON_ASCII', 'TAGS_NOT_SORTED', 'QRIS_NO_NATIONAL_TEMPLATE']).toContain(i.code);
      }),
      RUNS,
    );
  });

  it('property: build output validates with no error; a wrong CRC on it is the only error', () => {
    fc.assert(
      fc.property(buildCaseArb, ({ fields }) => {
        const p = build(fields);
        expect(validate(p).valid).toBe(true);
        const bad = p.slice(0, -4) + (p.endsWith('0000') ? '1111' : '0000');
        expect(crcRef(bad.slice(0, -4))).toBe(p.slice(-4));
        expect(validate(bad).issues.filter((i) => i.severity === 'error').map((i) => i.code)).toEqual(['CRC_MISMATCH']);
      }),
      RUNS,
    );
  });
});
