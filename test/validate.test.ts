/**
 * validate(): every code in VALIDATION_CODES is produced by a real input (a table test fails if a
 * code has no case), each case asserts the complete list of issues (severity, code, tag, offset),
 * and the real corpus validates as the spec says. Offsets come from the reference encoder
 * (encodeWithOffsets), never from the parser under test.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { build, parse, RULES, toDynamic, validate, VALIDATION_CODES } from '../src/index.js';
import type { QrisIssue, ValidationCode } from '../src/index.js';
import corpus from '../fixtures/dev-payloads.json' with { type: 'json' };
import { mutatedPayloadArb } from './arbitraries.js';
import { buildCaseArb, crcRef, encodeWithOffsets, type Obj, splitRef, staticCaseArb } from './qris-arbitraries.js';

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

/** T1, the digest's transfer example (ast QrisMapperTest), as objects. */
const T_ACCOUNT: Obj = {
  id: '40',
  children: [
    { id: '00', value: 'ID.CO.ASTRAPAY.WWW' },
    { id: '01', value: '9360082230002001355' },
    { id: '02', value: '200135' },
  ],
};
const T_UNIQUE: Obj = {
  id: '99',
  children: [
    { id: '00', value: '00' },
    { id: '01', value: 'TG0H0C8UCRIWF0NZAC12QWXC' },
  ],
};
const TRANSFER: readonly Obj[] = [
  { id: '00', value: '01' },
  { id: '01', value: '12' },
  T_ACCOUNT,
  { id: '52', value: '4829' },
  { id: '53', value: '360' },
  { id: '58', value: 'ID' },
  { id: '59', value: 'Test rename http header' },
  { id: '60', value: 'Jakarta Pusat' },
  { id: '61', value: '10220' },
  { id: '62', children: [{ id: '08', value: 'DMCT' }, T_UNIQUE] },
];
const T62 = (purpose: string, unique: Obj = T_UNIQUE): Obj => ({ id: '62', children: [{ id: '08', value: purpose }, unique] });

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

const E = (code: string, tag: string, at?: string | number | null): Expected =>
  at === undefined ? { severity: 'error', code, tag } : { severity: 'error', code, tag, at };
const W = (code: string, tag: string, at?: string | number | null): Expected =>
  at === undefined ? { severity: 'warning', code, tag } : { severity: 'warning', code, tag, at };

function c(name: string, nodes: readonly Obj[], issues: readonly Expected[]): Case {
  const { payload, offsets } = encodeWithOffsets(nodes);
  return { name, payload, offsets, issues };
}

const base = encodeWithOffsets(BASE);
const withCrcText = (payload: string, crc: string): Case['payload'] => payload.slice(0, -4) + crc;

// A table: one case per line.
// prettier-ignore
const CASES: readonly Case[] = [
  { name: 'wrong CRC', payload: withCrcText(base.payload, '0000'), offsets: base.offsets, issues: [E('CRC_MISMATCH', '63', base.payload.length - 4)] },
  { name: 'lowercase CRC (6d3f)', payload: withCrcText(base.payload, '6d3f'), offsets: base.offsets, issues: [W('CRC_LOWERCASE', '63', base.payload.length - 4)] },
  // TEMPLATE_NOT_TLV: the offset is where the scan of the value failed (its first character here).
  // A template kept raw: the policy warning where the scan failed, and the MUSTs it breaks at the template.
  c('62 value is not TLV', edit({ '62': 'A01' }), [W('TEMPLATE_NOT_TLV', '62', 'value:62'), E('MALFORMED_TEMPLATE', '62')]),
  c('26 value is not TLV', edit({ '26': 'ID.CO.BCA.WWW' }), [W('TEMPLATE_NOT_TLV', '26', 'value:26'), E('MALFORMED_TEMPLATE', '26'), E('MISSING_GUID', '26/00', '26')]),
  c('62/50 (payment-system template) is not TLV', edit({ '62': { id: '62', children: [{ id: '07', value: 'A01' }, { id: '50', value: 'XYZ' }] } }), [W('TEMPLATE_NOT_TLV', '62/50', 'value:62/50')]),
  c('81 (unreserved template) is not TLV', edit({ '81': 'XYZ' }), [W('TEMPLATE_NOT_TLV', '81', 'value:81'), E('MALFORMED_TEMPLATE', '81'), E('MISSING_GUID', '81/00', '81')]),
  c('70 (RFU template, accepted) is not TLV', edit({ '70': 'XYZ' }), [W('TEMPLATE_NOT_TLV', '70', 'value:70')]),
  c('no 59', edit({ '59': null }), [E('MISSING_TAG', '59', null)]),
  c('no 52, no 60', edit({ '52': null, '60': null }), [E('MISSING_TAG', '52', null), E('MISSING_TAG', '60', null)]),
  c('no merchant account at all', edit({ '26': null, '51': null }), [E('MISSING_MERCHANT_ACCOUNT', '26', null), E('QRIS_NO_NATIONAL_TEMPLATE', '51', '01')]),
  c('MCC with a letter', edit({ '52': '07A2' }), [E('BAD_FORMAT', '52')]),
  c('tab in the merchant name', edit({ '59': 'GREEN\tPAW' }), [E('BAD_FORMAT', '59')]),
  c('control character in 26/02', edit({ '26': sub(ACCOUNT, '02', '0008\u0000') }), [E('BAD_FORMAT', '26/02')]),
  c('control character in 62/07', edit({ '62': { id: '62', children: [{ id: '07', value: 'A\u007f1' }] } }), [E('BAD_FORMAT', '62/07')]),
  c('newline in 64/01 (alternate-language name)', edit({ '64': { id: '64', children: [{ id: '00', value: 'ZH' }, { id: '01', value: '最佳\n运输' }] } }), [E('BAD_FORMAT', '64/01')]),
  c('non-ASCII merchant name (59 is ans)', edit({ '59': 'Kopi Señor Café' }), [E('NON_ASCII', '59')]),
  c('emoji in the city', edit({ '60': 'Ubud 🌴' }), [E('NON_ASCII', '60')]),
  c('unpaired surrogate in 64/01', edit({ '64': { id: '64', children: [{ id: '00', value: 'ZH' }, { id: '01', value: 'Toko \ud83d' }] } }), [E('LONE_SURROGATE', '64/01', 'value:64/01+5')]),
  c('3-digit MCC', edit({ '52': '111' }), [E('BAD_VALUE_LENGTH', '52')]),
  c('26-character merchant name', edit({ '59': 'INFAQ/SEDEKAH AMANAH ASTRA' }), [E('BAD_VALUE_LENGTH', '59')]),
  c('16-character city', edit({ '60': 'KABUPATEN BANDUN' }), [E('BAD_VALUE_LENGTH', '60')]),
  c('26-character 62/01', edit({ '62': { id: '62', children: [{ id: '01', value: 'B'.repeat(26) }] } }), [E('BAD_VALUE_LENGTH', '62/01')]),
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
  c('fixed fee without 56', edit({ '55': '02' }), [E('FEE_VALUE_MISSING', '56', '55')]),
  c('percentage fee without 57', edit({ '55': '03' }), [E('FEE_VALUE_MISSING', '57', '55')]),
  c('fixed fee 1000. and percentage 5. (trailing dots, the spec examples)', edit({ '55': '02', '56': '1000.' }), []),
  c('percentage 5.', edit({ '55': '03', '57': '5.' }), []),
  c('amount 98. on a dynamic code', edit({ '01': '12', '54': '98.' }), []),
  c('percentage 0.001 (below 00.01)', edit({ '55': '03', '57': '0.001' }), [E('BAD_FEE', '57')]),
  c('amount 54 with three decimals in IDR', edit({ '01': '12', '54': '1000.000' }), [W('AMOUNT_DECIMALS', '54')]),
  c('56 without 55', edit({ '56': '500' }), [E('FEE_VALUE_UNEXPECTED', '56')]),
  c('57 next to a fixed fee', edit({ '55': '02', '56': '500', '57': '1.5' }), [E('FEE_VALUE_UNEXPECTED', '57')]),
  c('percentage fee of 100', edit({ '55': '03', '57': '100' }), [E('BAD_FEE', '57')]),
  c('fixed fee of zero', edit({ '55': '02', '56': '0' }), [E('BAD_FEE', '56')]),
  c('26 without a GUID', edit({ '26': sub(ACCOUNT, '00', null) }), [E('MISSING_GUID', '26/00', '26')]),
  c('unreserved 80 without a GUID', edit({ '80': { id: '80', children: [{ id: '01', value: 'X' }] } }), [E('MISSING_GUID', '80/00', '80')]),
  c('GUID "00" in 26 (the QRIS default, as in a real BCA dynamic): no warning', edit({ '26': sub(ACCOUNT, '00', '00') }), []),
  c('GUID "00" in 80 (EMVCo: not a GUID)', edit({ '80': { id: '80', children: [{ id: '00', value: '00' }] } }), [E('BAD_GUID', '80/00')]),
  c('GUID with a space', edit({ '26': sub(ACCOUNT, '00', 'ID CO BCA') }), [E('BAD_GUID', '26/00')]),
  c('GUID of 33 characters', edit({ '27': { id: '27', children: [{ id: '00', value: 'COM.' + 'X'.repeat(29) }] } }), [E('BAD_VALUE_LENGTH', '27/00')]),
  c('PAN with letters', edit({ '26': sub(ACCOUNT, '01', '93600915ABC') }), [E('QRIS_BAD_PAN', '26/01')]),
  c('PAN of 20 digits', edit({ '26': sub(ACCOUNT, '01', '93600014000128766712') }), [E('QRIS_BAD_PAN', '26/01')]),
  c('62/09 of 4 characters', edit({ '62': { id: '62', children: [{ id: '09', value: 'AMEM' }] } }), [E('BAD_VALUE_LENGTH', '62/09'), E('BAD_CONSUMER_DATA_REQUEST', '62/09')]),
  c('*** in 62/09 and 59 (only 62/01-08 may ask)', edit({ '59': '***', '62': { id: '62', children: [{ id: '10', value: '***' }] } }), [E('PROMPT_NOT_ALLOWED', '59'), E('PROMPT_NOT_ALLOWED', '62/10')]),
  c('*** in 62/06 (customer label: ask)', edit({ '62': { id: '62', children: [{ id: '06', value: '***' }] } }), []),
  c('62/99 of 92 characters', edit({ '62': { id: '62', children: [{ id: '99', children: [{ id: '00', value: 'A'.repeat(7) }, { id: '01', value: 'X'.repeat(77) }] }] } }), [E('BAD_VALUE_LENGTH', '62/99')]),
  c('62/99 without 01', edit({ '62': { id: '62', children: [{ id: '99', children: [{ id: '00', value: '00' }] }] } }), [E('MISSING_TAG', '62/99/01', '62/99')]),
  c('amount 0', edit({ '01': '12', '54': '0' }), [E('BAD_AMOUNT', '54')]),
  c('fixed fee 0.00', edit({ '55': '02', '56': '0.00' }), [E('BAD_FEE', '56')]),
  c('62/07 twice', edit({ '62': { id: '62', children: [{ id: '07', value: 'A01' }, { id: '07', value: 'A02' }] } }), [E('DUPLICATE_SUB_ID', '62/07')]),
  c('26/01 twice', edit({ '26': { id: '26', children: [...ACCOUNT.children!, { id: '01', value: '936000140000000000' }] } }), [E('DUPLICATE_SUB_ID', '26/01')]),
  c('62/12 (RFU)', edit({ '62': { id: '62', children: [{ id: '07', value: 'A01' }, { id: '12', value: 'X' }] } }), [W('RFU_SUB_ID', '62/12')]),
  c('62/00', edit({ '62': { id: '62', children: [{ id: '00', value: 'X' }, { id: '07', value: 'A01' }] } }), [W('RFU_SUB_ID', '62/00')]),
  c('62/09 = AA', edit({ '62': { id: '62', children: [{ id: '09', value: 'AA' }] } }), [E('BAD_CONSUMER_DATA_REQUEST', '62/09')]),
  c('62/09 = X', edit({ '62': { id: '62', children: [{ id: '09', value: 'X' }] } }), [E('BAD_CONSUMER_DATA_REQUEST', '62/09')]),
  c('64 without a name', edit({ '64': { id: '64', children: [{ id: '00', value: 'ID' }] } }), [E('LANGUAGE_INCOMPLETE', '64/01', '64')]),
  c('64 without a preference', edit({ '64': { id: '64', children: [{ id: '01', value: 'Toko' }] } }), [E('LANGUAGE_INCOMPLETE', '64/00', '64')]),
  c('64/00 = IND', edit({ '64': { id: '64', children: [{ id: '00', value: 'IND' }, { id: '01', value: 'Toko' }] } }), [E('BAD_VALUE_LENGTH', '64/00')]),
  c('64/00 = I1', edit({ '64': { id: '64', children: [{ id: '00', value: 'I1' }, { id: '01', value: 'Toko' }] } }), [E('BAD_LANGUAGE', '64/00')]),
  c('54 after 58 (PromptPay style): any root order is allowed, no warning', [...edit({ '01': '12' }).slice(0, 7), { id: '54', value: '1000' }, ...edit({ '01': '12' }).slice(7)], []),
  c('Indonesian code in USD', edit({ '53': '840' }), [E('QRIS_BAD_CURRENCY', '53')]),
  c('Indonesian code without 01 (optional in QRIS 4.7.2.1: a warning)', edit({ '01': null }), [W('QRIS_MISSING_POINT_OF_INITIATION', '01', null)]),
  c('static Indonesian code without 51 (QRIS 4.7.7: an error)', edit({ '51': null }), [E('QRIS_NO_NATIONAL_TEMPLATE', '51', '01')]),
  c('dynamic Indonesian code without 51: allowed', edit({ '01': '12', '54': '1000', '51': null }), []),
  c('51 GUID ID.CO.JALIN.WWW', edit({ '51': sub(NATIONAL, '00', 'ID.CO.JALIN.WWW') }), [W('QRIS_BAD_NATIONAL_GUID', '51/00')]),
  c('51 without an NMID', edit({ '51': sub(NATIONAL, '02', null) }), [W('QRIS_MISSING_NMID', '51/02', '51')]),
  c('NMID with letters (the real CIMB KLIKIT)', edit({ '51': sub(NATIONAL, '02', 'IDKIT3656355555') }), [W('QRIS_BAD_NMID', '51/02')]),
  c('NMID ZPM100000000000', edit({ '51': sub(NATIONAL, '02', 'ZPM100000000000') }), [W('QRIS_BAD_NMID', '51/02')]),
  c('NMID too short', edit({ '51': sub(NATIONAL, '02', 'ID123') }), [W('QRIS_BAD_NMID', '51/02')]),
  c('criteria XYZ', edit({ '26': sub(ACCOUNT, '03', 'XYZ') }), [E('QRIS_BAD_CRITERIA', '26/03')]),
  c('51 criteria umi (lowercase)', edit({ '51': sub(NATIONAL, '03', 'umi') }), [E('QRIS_BAD_CRITERIA', '51/03')]),
  c('country code in lowercase (th)', edit({ '53': '764', '58': 'th', '51': null }), [E('BAD_COUNTRY', '58')]),
  c('PAN without an Indonesian NNS', edit({ '26': sub(ACCOUNT, '01', '123456789012345678') }), [W('QRIS_BAD_NNS', '26/01')]),
  c('IDR with country MY', edit({ '58': 'MY' }), [W('QRIS_COUNTRY_MISMATCH', '58')]),
  // 61 (QRIS 4.7.15) and BI's per-payment limit
  c('Indonesian code without 61 (postal code)', edit({ '61': null }), [W('QRIS_MISSING_POSTAL_CODE', '61', '58')]),
  c('payment of Rp 10.000.000,01 (over BI limit)', edit({ '01': '12', '54': '10000000.01' }), [W('QRIS_AMOUNT_OVER_LIMIT', '54')]),
  c('payment of exactly Rp 10.000.000: no warning', edit({ '01': '12', '54': '10000000.00' }), []),
  // transfer codes (digest "Code kinds")
  c('the T1 transfer: no issue, no DYNAMIC_WITHOUT_AMOUNT', TRANSFER, []),
  c('transfer of Rp 25.000.000: the payment limit does not apply', edit({ '54': '25000000' }, TRANSFER), []),
  c('cash withdrawal (CWDL) without 54: no DYNAMIC_WITHOUT_AMOUNT', edit({ '62': T62('CWDL') }, TRANSFER), []),
  c('transfer with 01 = 11', edit({ '01': '11' }, TRANSFER), [E('TRANSFER_NOT_DYNAMIC', '01'), E('QRIS_NO_NATIONAL_TEMPLATE', '51', '01')]),
  c('transfer without 01', edit({ '01': null }, TRANSFER), [E('TRANSFER_NOT_DYNAMIC', '01', null), W('QRIS_MISSING_POINT_OF_INITIATION', '01', null)]),
  c('transfer without a beneficiary ID (40/02)', edit({ '40': sub(T_ACCOUNT, '02', null) }, TRANSFER), [E('MISSING_TAG', '40/02', '40')]),
  c('transfer PAN of 15 digits', edit({ '40': sub(T_ACCOUNT, '01', '936008223000200') }, TRANSFER), [W('TRANSFER_BAD_PAN', '40/01')]),
  c('transfer PAN with letters: a SHOULD for transfers (the MPAN rule is for merchant accounts)', edit({ '40': sub(T_ACCOUNT, '01', '93600822300020ABC') }, TRANSFER), [
    W('TRANSFER_BAD_PAN', '40/01'),
  ]),
  c('transfer beneficiary ID of 20 characters', edit({ '40': sub(T_ACCOUNT, '02', 'Siti Rahmawati Putri') }, TRANSFER), [W('TRANSFER_LONG_BENEFICIARY_ID', '40/02')]),
  c('transfer BIC CENAID', edit({ '40': sub(T_ACCOUNT, '04', 'CENAID') }, TRANSFER), [W('TRANSFER_BAD_BIC', '40/04')]),
  c('transfer with MCC 5812', edit({ '52': '5812' }, TRANSFER), [E('TRANSFER_BAD_MCC', '52')]),
  c('transfer without 62/99', edit({ '62': { id: '62', children: [{ id: '08', value: 'DMCT' }] } }, TRANSFER), [E('MISSING_TAG', '62/99', '62')]),
  c('transfer 62/99/00 = 01', edit({ '62': T62('DMCT', sub(T_UNIQUE, '00', '01')) }, TRANSFER), [E('TRANSFER_BAD_UNIQUE_GUID', '62/99/00', 'value:62+12')]),
  c('transfer unique data of 7 characters', edit({ '62': T62('DMCT', sub(T_UNIQUE, '01', '1234567')) }, TRANSFER), [W('TRANSFER_UNIQUE_DATA_LENGTH', '62/99/01', 'value:62+18')]),
  c('transfer with a tip prompt (55 = 01)', edit({ '55': '01' }, TRANSFER), [W('TRANSFER_WITH_FEE', '55')]),
  c('40 with free-text purpose Bayar: a payment, the purpose is its own', edit({ '62': T62('Bayar') }, TRANSFER), [W('DYNAMIC_WITHOUT_AMOUNT', '01')]),
  c('40 with purpose DMCX: a payment by detection, the purpose is refused', edit({ '62': T62('DMCX') }, TRANSFER), [
    E('TRANSFER_BAD_PURPOSE', '62/08'),
    W('DYNAMIC_WITHOUT_AMOUNT', '01'),
  ]),
  // national overlays: a break of the scheme's own rows
  c(
    'PromptPay mobile target of 10 digits (0812345678)',
    [
      { id: '00', value: '01' },
      { id: '01', value: '11' },
      { id: '29', children: [{ id: '00', value: 'A000000677010111' }, { id: '01', value: '0812345678' }] },
      { id: '53', value: '764' },
      { id: '58', value: 'TH' },
    ],
    [E('PROMPTPAY_BAD_TARGET', '29/01')],
  ),
  c(
    'VietQR in USD, BIN of 5 digits, service QRPUSH',
    [
      { id: '00', value: '01' },
      { id: '01', value: '11' },
      { id: '38', children: [{ id: '00', value: 'A000000727' }, { id: '01', value: '0005970410110123456789' }, { id: '02', value: 'QRPUSH' }] },
      { id: '53', value: '840' },
      { id: '58', value: 'VN' },
    ],
    [E('VIETQR_BAD_BENEFICIARY', '38/01'), E('VIETQR_BAD_SERVICE', '38/02'), E('SCHEME_BAD_CURRENCY', '53')],
  ),
  c(
    'PayNow proxy type 3, editable Y, expiry 20261331',
    [
      { id: '00', value: '01' },
      { id: '01', value: '11' },
      {
        id: '26',
        children: [
          { id: '00', value: 'SG.PAYNOW' },
          { id: '01', value: '3' },
          { id: '02', value: 'S99345678ABCD' },
          { id: '03', value: 'Y' },
          { id: '04', value: '20261331' },
        ],
      },
      { id: '52', value: '0000' },
      { id: '53', value: '702' },
      { id: '58', value: 'SG' },
      { id: '59', value: 'ACME Pte Ltd' },
      { id: '60', value: 'Singapore' },
    ],
    [E('PAYNOW_BAD_PROXY_TYPE', '26/01'), E('PAYNOW_BAD_EDITABLE', '26/03'), E('PAYNOW_BAD_EXPIRY', '26/04')],
  ),
];

function offsetOf(k: Case, e: Expected): number | undefined {
  const at = e.at === undefined ? e.tag : e.at;
  if (at === null) return undefined;
  if (typeof at === 'number') return at;
  if (at.startsWith('value:')) {
    const [path, plus] = at.slice(6).split('+');
    const o = k.offsets.get(path!);
    if (o === undefined) throw new Error(`no offset for ${at}`);
    return o + 4 + Number(plus ?? 0);
  }
  const o = k.offsets.get(at);
  if (o === undefined) throw new Error(`no offset for ${at} in ${k.name}`);
  return o;
}

const key = (i: { severity: string; code: string; tag?: string | undefined; offset?: number | undefined }): string =>
  `${i.severity} ${i.code} ${i.tag} @${i.offset}`;

describe('validate: one real input per issue code', () => {
  it('the base code (BCA GREEN PAW) is the real corpus payload and has no issue at all', () => {
    expect(base.payload).toBe(corpus.find((e) => e.payload.includes('GREEN PAW'))!.payload);
    expect(validate(base.payload)).toEqual({ valid: true, profile: 'qris', kind: 'payment', issues: [] });
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
    // Codes parse throws are covered in test/rules.test.ts and test/errors.test.ts; the rest here.
    const thrownByParse = new Set<string>(
      RULES.filter((r) => r.check === 'parse' && r.code !== 'CRC_LOWERCASE' && r.code !== 'TEMPLATE_NOT_TLV').map((r) => r.code),
    );
    const codes = (Object.keys(VALIDATION_CODES) as ValidationCode[]).filter((code) => !thrownByParse.has(code) && code !== 'LONG_PAYLOAD');
    expect(codes.length).toBeGreaterThanOrEqual(39);
    const missing = codes.filter((code) => !produced.has(code));
    expect(missing, 'codes without a case').toEqual([]);
    for (const code of codes) expect([...produced.get(code)!], code).toEqual([VALIDATION_CODES[code]]);
    // Nothing outside the table is produced for a structurally sound payload.
    for (const code of produced.keys()) expect(codes).toContain(code);
  });

  it('issues come in payload order (by offset), those without an offset last', () => {
    const k = c('many problems', edit({ '00': '02', '01': '13', '59': 'Señor', '52': null, '55': '04', '26': sub(ACCOUNT, '03', 'XYZ') }), []);
    const issues = validate(k.payload).issues;
    expect(issues.length).toBeGreaterThanOrEqual(5);
    const offsets = issues.map((i) => i.offset ?? Infinity);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(issues.map((i) => i.code)).toEqual([
      'BAD_PAYLOAD_FORMAT',
      'BAD_POINT_OF_INITIATION',
      'QRIS_BAD_CRITERIA',
      'BAD_TIP_INDICATOR',
      'NON_ASCII',
      'MISSING_TAG',
    ]);
  });

  it('QRIS criteria PSO and BLU (government codes) are accepted', () => {
    expect(validate(c('PSO', edit({ '26': sub(ACCOUNT, '03', 'PSO'), '51': sub(NATIONAL, '03', 'BLU') }), []).payload)).toEqual({
      valid: true,
      profile: 'qris',
      kind: 'payment',
      issues: [],
    });
  });

  it('a non-Indonesian code gets no QRIS profile checks', () => {
    const k = c('Malaysia', edit({ '53': '458', '58': 'MY', '51': null, '26': sub(ACCOUNT, '01', '123') }), []);
    expect(validate(k.payload)).toEqual({ valid: true, profile: 'emvco', kind: 'payment', issues: [] });
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
    expect(validate(parse(base.payload))).toEqual({ valid: true, profile: 'qris', kind: 'payment', issues: [] });
  });

  it('property: validate never throws on mutated payloads or arbitrary strings; an error issue means valid is false', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          mutatedPayloadArb.map((m) => m.mutated),
          fc.string({ maxLength: 80 }),
          fc.string({ unit: 'binary', maxLength: 80 }),
        ),
        (s) => {
          const r = validate(s);
          expect(r.valid).toBe(!r.issues.some((i: QrisIssue) => i.severity === 'error'));
        },
      ),
      RUNS,
    );
  });
});

describe('validate on the real corpus', () => {
  const valid = corpus.filter((e) => e.crc_valid);
  const codes = (e: { payload: string }) => validate(e.payload).issues.map((i) => `${i.severity[0]}:${i.code}@${i.tag}`);
  /**
   * Every real (CRC-valid) code that breaks a rule, with the rules it breaks, worked out from the
   * digest: `e:` a MUST, `w:` a SHOULD. Every other CRC-valid entry has no issue at all.
   */
  const BREAKS: readonly [key: string, why: string, issues: readonly string[]][] = [
    [
      'INFAQ/SEDEKAH AMANAH ASTRA',
      'AstraPay: 52 = "111" (3 digits), a 26-character 59, static without 51',
      ['e:QRIS_NO_NATIONAL_TEMPLATE@51', 'e:BAD_VALUE_LENGTH@52', 'e:BAD_VALUE_LENGTH@59'],
    ],
    [
      '0804DMCT9935',
      'ShopeePay transfer: 62/99 is 35 zeros (not TLV): no 62/99/00, 62/99/01; a masked PAN of zeros (NNS 00000000); no DYNAMIC_WITHOUT_AMOUNT (a transfer asks for the amount)',
      ['w:QRIS_BAD_NNS@40/01', 'e:MISSING_GUID@62/99/00', 'e:MISSING_TAG@62/99/01', 'w:TEMPLATE_NOT_TLV@62/99'],
    ],
    ['IDKIT3656355555', 'CIMB KLIKIT: NMID with letters', ['w:QRIS_BAD_NMID@51/02']],
    [
      'ID.ZIPAY.WWW',
      'Zipay: national GUID ID.ZIPAY.WWW, NMID ZPM... (its NNS 93600825 is in the larger table)',
      ['w:QRIS_BAD_NATIONAL_GUID@51/00', 'w:QRIS_BAD_NMID@51/02'],
    ],
    ['Merchant Jalin UAT', 'Jalin UAT: national GUID ID.CO.JALIN.WWW (NNS 93600916 Gudang Voucher is in the larger table)', ['w:QRIS_BAD_NATIONAL_GUID@51/00']],
    ['51670014ID.CO.QRIS.WWW0119936009150000', 'synthetic dynamic code without 61 (QRIS 4.7.15: a warning)', ['w:QRIS_MISSING_POSTAL_CODE@61']],
    ['COFFEE SHOP HOUSE', 'Bank Neo Commerce: national GUID ID.CO.BANKNEOCOMMERCE.WWW', ['w:QRIS_BAD_NATIONAL_GUID@51/00']],
    ['DHKA STORE', 'Bank Neo Commerce: national GUID ID.CO.BANKNEOCOMMERCE.WWW', ['w:QRIS_BAD_NATIONAL_GUID@51/00']],
  ];

  it.each(BREAKS.map(([k, why, issues]) => [why, k, issues] as const))('%s', (_why, k, issues) => {
    const hits = valid.filter((e) => e.payload.includes(k));
    expect(hits, k).toHaveLength(1);
    expect(codes(hits[0]!)).toEqual(issues);
  });

  it('every other CRC-valid entry (real codes, 6 countries) validates with no issue at all', () => {
    const listed = new Set(BREAKS.map(([k]) => valid.find((e) => e.payload.includes(k))));
    const others = valid.filter((e) => !listed.has(e));
    expect(others.length).toBe(valid.length - BREAKS.length);
    for (const e of others) expect(codes(e), e.notes).toEqual([]);
    // 8 real codes break a rule, 2 of them a MUST (an error). The PromptPay, VietQR and DuitNow
    // codes that EMVCo alone calls broken are judged by their overlay (below).
    expect(valid.filter((e) => codes(e).length > 0)).toHaveLength(BREAKS.length);
    expect(valid.filter((e) => !validate(e.payload).valid)).toHaveLength(2);
  });

  /** Partner codes: clean under their overlay; EMVCo alone reports exactly what the overlay relaxes. */
  const OVERLAID: readonly [key: string, profile: string, emvco: readonly string[]][] = [
    ['540520.15', 'promptpay', ['e:MISSING_TAG@52', 'e:MISSING_TAG@59', 'e:MISSING_TAG@60']],
    [
      '540510.05',
      'promptpay',
      ['e:MALFORMED_TEMPLATE@81', 'e:MISSING_GUID@81/00', 'w:TEMPLATE_NOT_TLV@81', 'e:MISSING_TAG@52', 'e:MISSING_TAG@59', 'e:MISSING_TAG@60'],
    ],
    ['5406200.00', 'promptpay', ['e:MISSING_TAG@52', 'e:MISSING_TAG@59', 'e:MISSING_TAG@60']],
    ['A000000727', 'vietqr', ['e:MISSING_TAG@52', 'e:MISSING_TAG@59', 'e:MISSING_TAG@60']],
    ['TAKOYAKI', 'duitnow', ['e:BAD_PAYLOAD_FORMAT@00']],
  ];

  it.each(OVERLAID)('overlay code %s: clean under %s; EMVCo alone finds only what the overlay relaxes', (k, profile, emvco) => {
    const hits = valid.filter((e) => e.payload.includes(k));
    expect(hits, k).toHaveLength(1);
    expect(validate(hits[0]!.payload)).toMatchObject({ valid: true, profile, issues: [] });
    expect(validate(hits[0]!.payload, { profile: 'emvco' }).issues.map((i) => `${i.severity[0]}:${i.code}@${i.tag}`)).toEqual(emvco);
  });

  it('the profile that ran: qris for the Indonesian entries, the overlay for partner codes, emvco for the others', () => {
    const overlaid = new Map(OVERLAID.map(([k, p]) => [valid.find((e) => e.payload.includes(k)), p]));
    for (const e of valid) expect(validate(e.payload).profile, e.notes).toBe(e.country === 'ID' ? 'qris' : (overlaid.get(e) ?? 'emvco'));
  });

  it('every static Indonesian entry stays error-free after toDynamic (the AstraPay one keeps its own errors but 51)', () => {
    const indonesian = valid.filter((e) => e.country === 'ID');
    for (const e of indonesian.filter((x) => x.kind === 'static')) {
      const r = validate(toDynamic(e.payload, { amount: 15000, fee: { type: 'fixed', value: 1000 }, billNumber: 'INV-1' }));
      const errors = r.issues.filter((i) => i.severity === 'error').map((i) => `${i.code}@${i.tag}`);
      expect(errors, e.notes).toEqual(e.payload.includes('INFAQ/SEDEKAH') ? ['BAD_VALUE_LENGTH@52', 'BAD_VALUE_LENGTH@59'] : []);
      expect(r.issues.map((i) => i.code)).not.toContain('DYNAMIC_WITHOUT_AMOUNT');
    }
  });
});

describe('validate on generated payloads', () => {
  it('property: generated static QRIS codes break exactly the rules their fields break (NON_ASCII in 59/60, no 51)', () => {
    fc.assert(
      fc.property(staticCaseArb({ with53: 'always' }), (k) => {
        const r = validate(k.payload);
        const v = (id: string) => k.nodes.find((n) => n.id === id)?.value ?? '';
        const nonAscii = ['59', '60'].filter((id) => /[\u0080-\uffff]/.test(v(id)));
        expect(
          r.issues
            .filter((i) => i.code === 'NON_ASCII')
            .map((i) => i.tag)
            .sort(),
        ).toEqual(nonAscii);
        expect(r.issues.some((i) => i.code === 'QRIS_NO_NATIONAL_TEMPLATE')).toBe(!k.nodes.some((n) => n.id === '51'));
        const prompt = ['59', '60'].filter((id) => v(id) === '***');
        // A generated 62/99 holds only its 00: QRIS Table 4.8 wants 62/99/01 too.
        const t99 = v('62') === '' ? undefined : splitRef(v('62')).find((n) => n.id === '99');
        const has6299 = t99 !== undefined && !splitRef(t99.value).some((n) => n.id === '01');
        expect(r.issues.filter((i) => i.code === 'MISSING_TAG').map((i) => i.tag)).toEqual(has6299 ? ['62/99/01'] : []);
        expect(
          r.issues
            .filter((i) => i.code === 'PROMPT_NOT_ALLOWED')
            .map((i) => i.tag)
            .sort(),
        ).toEqual(prompt);
        // 61 is a SHOULD on Indonesian codes (QRIS 4.7.15).
        expect(r.issues.some((i) => i.code === 'QRIS_MISSING_POSTAL_CODE')).toBe(!k.nodes.some((n) => n.id === '61'));
        // Any order is allowed: no order warning exists any more.
        for (const i of r.issues)
          expect(['NON_ASCII', 'QRIS_NO_NATIONAL_TEMPLATE', 'PROMPT_NOT_ALLOWED', 'MISSING_TAG', 'QRIS_MISSING_POSTAL_CODE']).toContain(i.code);
        expect(r.valid).toBe(nonAscii.length === 0 && prompt.length === 0 && !has6299 && k.nodes.some((n) => n.id === '51'));
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
        expect(
          validate(bad)
            .issues.filter((i) => i.severity === 'error')
            .map((i) => i.code),
        ).toEqual(['CRC_MISMATCH']);
      }),
      RUNS,
    );
  });
});
