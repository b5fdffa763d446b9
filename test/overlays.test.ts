/**
 * National overlays (digest "National overlays"): the public sample codes of each partner scheme
 * (fixtures/overlays/*.json, each with its source) validate with no false error under their
 * overlay, a sample broken in one of its scheme's rows is flagged, `validate(p, { profile })`
 * accepts each overlay by name, info() names the scheme and its fields, and the property that an
 * overlay never turns an EMVCo finding into silence unless a `relax` row of the table says so.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { info, OVERLAY_PROFILES, RULES, validate } from '../src/index.js';
import type { OverlayProfile, QrisIssue, RuleSpec } from '../src/index.js';
import { expandPath } from '../src/qris/rules.js';
import duitnow from '../fixtures/overlays/duitnow.json' with { type: 'json' };
import paynow from '../fixtures/overlays/paynow.json' with { type: 'json' };
import promptpay from '../fixtures/overlays/promptpay.json' with { type: 'json' };
import vietqr from '../fixtures/overlays/vietqr.json' with { type: 'json' };
import { mutatedPayloadArb } from './arbitraries.js';
import { crcRef, encodePayload, splitRef, type Obj } from './qris-arbitraries.js';

interface Sample {
  readonly payload: string;
  readonly source: string;
  readonly expect: string;
  readonly note?: string;
}
const FIXTURES: Readonly<Record<OverlayProfile, { readonly samples: readonly Sample[] }>> = { duitnow, paynow, promptpay, vietqr };
const recrc = (p: string) => p.slice(0, -4) + crcRef(p.slice(0, -4));
const codes = (issues: readonly QrisIssue[]) => issues.map((i) => `${i.severity[0]}:${i.code}@${i.tag}`);

describe.each(OVERLAY_PROFILES)('public samples: %s', (profile) => {
  const { samples } = FIXTURES[profile];
  const good = samples.filter((s) => s.expect === 'valid');

  it('every sample has a source; the ones marked valid are most of them', () => {
    for (const s of samples) expect(s.source).toMatch(/^github:/);
    expect(good.length).toBeGreaterThanOrEqual(2);
  });

  it.each(good.map((s) => [s.payload.slice(0, 60), s] as const))('%s… validates with no error under the overlay, chosen automatically', (_n, s) => {
    const r = validate(s.payload);
    expect(r.profile).toBe(profile);
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(validate(s.payload, { profile })).toEqual(r);
    expect(info(s.payload).scheme?.profile).toBe(profile);
  });

  it.each(samples.filter((s) => s.expect !== 'valid').map((s) => [s.note ?? '', s] as const))('marked invalid: %s', (_n, s) => {
    expect(validate(s.payload).valid).toBe(false);
  });
});

describe('a sample broken in one scheme rule is flagged', () => {
  const first = (p: OverlayProfile) => FIXTURES[p].samples.find((s) => s.expect === 'valid')!.payload;
  const CASES: readonly (readonly [OverlayProfile, from: string, to: string, issue: string])[] = [
    ['duitnow', '5303458', '5303840', 'e:SCHEME_BAD_CURRENCY@53'],
    ['duitnow', '000202010212', '000202', 'e:MISSING_TAG@01'],
    ['promptpay', '5303764', '5303840', 'e:SCHEME_BAD_CURRENCY@53'],
    ['promptpay', '01130066801111111', '0113006680111111X', 'e:PROMPTPAY_BAD_TARGET@29/01'],
    ['vietqr', 'QRIBFTTA', 'QRIBFTTX', 'e:VIETQR_BAD_SERVICE@38/02'],
    ['vietqr', '5303704', '5303840', 'e:SCHEME_BAD_CURRENCY@53'],
    ['paynow', '03011', '03019', 'e:PAYNOW_BAD_EDITABLE@26/03'],
    ['paynow', '040899991231', '040899991331', 'e:PAYNOW_BAD_EXPIRY@26/04'],
  ];
  it.each(CASES)('%s: %s -> %s gives %s, and nothing else', (profile, from, to, issue) => {
    const src = first(profile);
    expect(src).toContain(from);
    const p = recrc(src.replace(from, to));
    const r = validate(p);
    expect(r.profile).toBe(profile);
    expect(codes(r.issues)).toEqual([issue]);
  });

  it('SGQR: the PayNow rows read only the SG.PAYNOW template; another scheme at 26 with its own 01/03/04 is not judged by them', () => {
    const p = encodePayload([
      { id: '00', value: '01' },
      { id: '01', value: '11' },
      {
        id: '26',
        children: [
          { id: '00', value: 'SG.COM.NETS' },
          { id: '01', value: '9' },
          { id: '03', value: 'X' },
          { id: '04', value: '31129999' },
        ],
      },
      {
        id: '27',
        children: [
          { id: '00', value: 'SG.PAYNOW' },
          { id: '01', value: '2' },
          { id: '02', value: 'S99345678ABCD' },
          { id: '03', value: '0' },
        ],
      },
      { id: '51', children: [{ id: '00', value: 'SG.SGQR' }] },
      { id: '52', value: '0000' },
      { id: '53', value: '702' },
      { id: '58', value: 'SG' },
      { id: '59', value: 'ACME Pte Ltd' },
      { id: '60', value: 'Singapore' },
    ]);
    expect(validate(p)).toMatchObject({ valid: true, profile: 'paynow', issues: [] });
    expect(info(p).scheme).toMatchObject({ proxyType: 'uen', editable: false });
    const broken = encodePayload([...splitRef(p.slice(0, -8)).map((n) => (n.id === '27' ? { id: '27', value: n.value.replace('0101202', '0101302') } : n))]);
    expect(codes(validate(broken).issues)).toEqual(['e:PAYNOW_BAD_PROXY_TYPE@27/01']);
  });

  it("a VietQR beneficiary (38/01) that is not BIN + account is flagged: the scheme's nested objects are read", () => {
    const src = first('vietqr');
    const m = /38(\d\d)0010A000000727(01\d\d)(\d{4})(\d{6})/.exec(src)!;
    // BIN 970422 -> 97042A: still 6 characters, not 6 digits.
    const p = recrc(src.replace(m[3]! + m[4]!, m[3]! + m[4]!.slice(0, 5) + 'A'));
    expect(codes(validate(p).issues)).toEqual(['e:VIETQR_BAD_BENEFICIARY@38/01']);
  });
});

describe('profiles by name', () => {
  it('validate(p, { profile }) accepts each overlay by name and the result names it; automatic by 58 + GUID', () => {
    const th = promptpay.samples[0]!.payload;
    for (const profile of ['emvco', 'qris', ...OVERLAY_PROFILES] as const) expect(validate(th, { profile }).profile).toBe(profile);
    // PromptPay's code judged by other rows: VietQR's currency row fires (VietQR relaxes 52/59/60
    // too); DuitNow relaxes nothing of the kind; EMVCo alone reports the three missing objects.
    expect(codes(validate(th, { profile: 'vietqr' }).issues)).toEqual(['e:SCHEME_BAD_CURRENCY@53']);
    expect(codes(validate(th, { profile: 'duitnow' }).issues)).toEqual([
      'e:SCHEME_BAD_CURRENCY@53',
      'e:MISSING_TAG@52',
      'e:MISSING_TAG@59',
      'e:MISSING_TAG@60',
    ]);
    expect(codes(validate(th, { profile: 'emvco' }).issues)).toEqual(['e:MISSING_TAG@52', 'e:MISSING_TAG@59', 'e:MISSING_TAG@60']);
    expect(() => validate(th, { profile: 'thaiqr' as 'qris' })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });

  it('the overlay needs both the country and the account GUID', () => {
    const th = promptpay.samples[0]!.payload;
    expect(validate(recrc(th.replace('5802TH', '5802LA'))).profile).toBe('emvco');
    expect(validate(recrc(th.replace('A000000677010111', 'A000000677010199'))).profile).toBe('emvco');
  });
});

describe('info().scheme', () => {
  it('PromptPay: target type and target; bill payment: biller and references', () => {
    expect(info(promptpay.samples.find((s) => s.payload.includes('01130066812223333'))!.payload).scheme).toEqual({
      profile: 'promptpay',
      name: 'PromptPay (Thailand)',
      targetType: 'mobile',
      target: '0066812223333',
    });
    expect(info(promptpay.samples.find((s) => s.payload.includes('0315140000801111111'))!.payload).scheme).toMatchObject({
      targetType: 'e-wallet',
      target: '140000801111111',
    });
    expect(info(promptpay.samples.find((s) => s.payload.includes('CUSTOMER'))!.payload).scheme).toEqual({
      profile: 'promptpay',
      name: 'PromptPay (Thailand)',
      targetType: 'bill-payment',
      billerId: '0112233445566',
      reference1: 'CUSTOMER001',
      reference2: 'INV001',
      crossBorder: false,
    });
  });

  it('VietQR: bank BIN, account and service', () => {
    expect(info('00020101021138540010A00000072701240006970418011012345678900208QRIBFTTA53037045802VN6304995B').scheme).toEqual({
      profile: 'vietqr',
      name: 'VietQR (Vietnam)',
      bankBin: '970418',
      account: '1234567890',
      service: 'account',
    });
  });

  it('PayNow: proxy type, proxy, editable flag and expiry', () => {
    expect(info(paynow.samples[0]!.payload).scheme).toEqual({
      profile: 'paynow',
      name: 'PayNow / SGQR (Singapore)',
      proxyType: 'uen',
      proxy: 'S99345678ABCD',
      editable: true,
      expiry: '99991231',
    });
    expect(info(paynow.samples[1]!.payload).scheme).toMatchObject({ proxyType: 'mobile', proxy: '+6590991234' });
  });

  it('DuitNow: the payload version as written; Indonesian and other codes have no scheme', () => {
    expect(info(duitnow.samples[0]!.payload).scheme).toEqual({ profile: 'duitnow', name: 'DuitNow (Malaysia)', payloadVersion: '02' });
    const other = encodePayload([
      { id: '00', value: '01' },
      { id: '29', children: [{ id: '00', value: 'A000000999010111' }] },
      { id: '53', value: '764' },
      { id: '58', value: 'TH' },
    ]);
    expect(info(other).scheme).toBeUndefined();
    expect(info(recrc(promptpay.samples[0]!.payload.replace('5802TH', '5802ID'))).scheme).toBeUndefined();
  });
});

// ---- property: no silent relaxation -----------------------------------------------------------------

const RELAX = (RULES as readonly RuleSpec[]).filter((r) => r.check === 'relax');
/** Independent of validate's internals: whether a relax row of `profile` names this EMVCo issue. */
function relaxedByTable(profile: string, i: QrisIssue, payload: string): boolean {
  return RELAX.some((r) => {
    if (r.profile !== profile || r.code !== i.code || i.tag === undefined || !expandPath(r.path).includes(i.tag)) return false;
    if (r.values === undefined) return true;
    const root = splitRef(payload.trim().slice(0, -8));
    return r.values.includes(root.find((n) => n.id === i.tag)?.value ?? '');
  });
}

/** Overlay samples with random edits: objects removed, 00 changed, raw text in 80-99, values swapped. */
const editedSampleArb = fc
  .record({
    sample: fc.constantFrom(...OVERLAY_PROFILES.flatMap((p) => FIXTURES[p].samples.map((s) => s.payload))),
    drop: fc.subarray(['01', '52', '53', '58', '59', '60', '62', '26', '29', '38']),
    pfi: fc.constantFrom(undefined, '01', '02', '03'),
    raw: fc.option(fc.constantFrom('81', '82', '85'), { nil: undefined }),
    country: fc.constantFrom(undefined, 'TH', 'VN', 'MY', 'SG', 'ID', 'th'),
  })
  .map(({ sample, drop, pfi, raw, country }) => {
    const nodes: Obj[] = splitRef(sample.slice(0, -8))
      .filter((n) => !drop.includes(n.id))
      .map((n) => ({ id: n.id, value: n.id === '00' && pfi ? pfi : n.id === '58' && country ? country : n.value }));
    if (raw && !nodes.some((n) => n.id === raw)) nodes.push({ id: raw, value: 'ABC123' });
    return encodePayload(nodes);
  });

describe('property: an overlay never turns an EMVCo finding into silence unless a relax row says so', () => {
  it('every issue EMVCo alone reports is reported by each overlay too (same code, tag, severity), or named by a relax row of that overlay', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          editedSampleArb,
          editedSampleArb,
          mutatedPayloadArb.map((m) => m.mutated),
        ),
        fc.constantFrom(...OVERLAY_PROFILES),
        (p, profile) => {
          const emvco = validate(p, { profile: 'emvco' });
          const overlay = validate(p, { profile });
          const seen = new Set(codes(overlay.issues));
          for (const i of emvco.issues) {
            if (seen.has(codes([i])[0]!)) continue;
            expect(relaxedByTable(profile, i, p), `${profile} dropped ${codes([i])[0]} without a relax row`).toBe(true);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('the relax rows are few and each cites its source (and says so when the scheme text was not read)', () => {
    expect(RELAX.length).toBeLessThanOrEqual(10);
    for (const r of RELAX) {
      expect(r.profile).not.toBe('emvco');
      expect(r.source).toMatch(/^(P|S|field):/);
      if (r.source.startsWith('S:') || r.source.startsWith('field:')) expect(r.source).toMatch(/not read|UNVERIFIED/);
    }
  });
});
