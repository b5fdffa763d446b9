/**
 * The rule table: every rule `validate()` checks, with its path, strength, limits and the spec
 * digest's source key (../shared/spec/emvco-qris.md). MUST is an error when broken, SHOULD a
 * warning; `source: 'policy'` marks the library's own policy (the digest's separate section).
 *
 * This is the one place a rule's strength and limits live: `validate` walks the rows (its checks
 * are keyed by `check`), `VALIDATION_CODES` and the README's rule table are generated from them,
 * and `build`, `toDynamic` and the amount formatter read their limits through `limitOf`.
 * The table is pure data (its one import is the codec's input cap), so any module can read it without cycles.
 */

import { MAX_INPUT_LENGTH } from '../codec/structure.js';

/**
 * Which rule set ran: EMVCo MPM alone, EMVCo plus the QRIS (Indonesia) profile, or EMVCo plus a
 * national overlay of a QRIS cross-border partner (DuitNow MY, PromptPay TH, VietQR VN, PayNow SG).
 */
export type Profile = 'emvco' | 'qris' | 'duitnow' | 'promptpay' | 'vietqr' | 'paynow';

/** Every profile `validate(p, { profile })` accepts by name. */
export const PROFILES: readonly Profile[] = Object.freeze(['emvco', 'qris', 'duitnow', 'promptpay', 'vietqr', 'paynow']);

/** The kinds of QRIS code a row can be limited to (kinds.ts detects them). */
export type RuleKind = 'payment' | 'transfer' | 'cash-withdrawal' | 'cash-deposit';

export type Strength = 'MUST' | 'SHOULD';

/**
 * How a row is checked (validate.ts has one function per kind):
 * - `parse`: reported by the parser, thrown (structure) or as a parse warning;
 * - `present` / `absent`: the path exists / does not (subject to `when` / `unless`);
 * - `length`: code points within `limits` (path `payload`: the whole payload);
 * - `oneOf`: the value is one of `values`;
 * - `relax`: not a check: under this row's overlay profile, the EMVCo row of the same `code` is
 *   not reported at these paths (only for `values`, when given). Every relaxation is such a row;
 * - the other names: a predicate or a tree check of that name.
 */
export type CheckKind =
  | 'parse'
  | 'present'
  | 'absent'
  | 'length'
  | 'oneOf'
  | 'digits'
  | 'commonCharset'
  | 'controls'
  | 'surrogates'
  | 'letters'
  | 'capitals'
  | 'amountFormat'
  | 'nonZero'
  | 'percentRange'
  | 'decimals'
  | 'guid'
  | 'qrisGuid'
  | 'panDigits'
  | 'knownNns'
  | 'nmid'
  | 'consumerData'
  | 'prompt'
  | 'templates'
  | 'duplicates'
  | 'merchantAccount'
  | 'crc'
  | 'countryMismatch'
  | 'staticWithAmount'
  | 'dynamicWithoutAmount'
  | 'relax'
  | 'maxAmount'
  | 'purpose'
  | 'bic'
  | 'expiry'
  | 'vietqrBeneficiary';

/** A condition on another root object: `{ '55': '02' }` holds when 55 is `02`. */
export type Condition = Readonly<Record<string, string>>;

/** Values for a row's generated tests: `bad` breaks only this rule, `good` is just inside it. */
export interface RuleSamples {
  /** The concrete path the samples are written to (default: the first path of the row). */
  readonly at?: string;
  /** `null` removes the object. */
  readonly bad?: readonly (string | null)[];
  readonly good?: readonly (string | null)[];
  /** Other codes a `bad` sample cannot avoid breaking (e.g. 62/09 = `AMEA` also repeats `A`). */
  readonly alsoBreaks?: readonly string[];
}

export interface RuleSpec {
  /** Stable issue code; rows sharing a code share its strength. */
  readonly code: string;
  /** Where it applies: `59`, `26-51/00, 80-99/00`, `62/01-08`; `payload` or `*` (every value). */
  readonly path: string;
  readonly strength: Strength;
  /** `emvco` rows run under every profile; the others only under their own. */
  readonly profile: Profile;
  /** The digest's source key (`EMV mv, np`, `QRIS 4.7.5.4 sq`, `field`), or `policy`. */
  readonly source: string;
  /** The rule in words (the README's rule column). */
  readonly text: string;
  readonly check: CheckKind;
  readonly limits?: { readonly min?: number; readonly max?: number };
  readonly values?: readonly string[];
  /** `oneOf`: compare without regard to case. */
  readonly caseFree?: boolean;
  /** Checked only when these hold (`present`, value checks). */
  readonly when?: Condition;
  /** `absent`: allowed when these hold. */
  readonly unless?: Condition;
  /** Checked only on codes of these kinds (default: every kind). */
  readonly kinds?: readonly RuleKind[];
  /** Sub-object rows: checked only inside a template whose GUID (00) is one of these (case free). */
  readonly guid?: readonly string[];
  readonly samples?: RuleSamples;
}

function rule<const R extends RuleSpec>(r: R): R {
  return Object.freeze(r);
}

const MUST = 'MUST';
const SHOULD = 'SHOULD';

/** Code-point length limits of a data object, MUST unless marked. */
function length<const P extends string>(path: P, min: number, max: number, source: string, samples?: RuleSamples, profile: Profile = 'emvco') {
  const text = min === max ? `${min} characters` : min <= 1 ? `at most ${max} characters` : `${min}-${max} characters`;
  return rule({
    code: 'BAD_VALUE_LENGTH',
    path,
    strength: MUST,
    profile,
    source,
    text: `${text} (code points), not empty`,
    check: 'length',
    limits: { min, max },
    ...(samples ? { samples } : {}),
  });
}

// A table: one rule per line, read and diffed row by row.
// prettier-ignore
export const RULES = Object.freeze([
  // ---- Input and encoding (parse) -----------------------------------------------------------------
  rule({ code: 'NOT_A_STRING', path: 'payload', strength: MUST, profile: 'emvco', source: 'policy', text: 'the input is a string (or a parse() result)', check: 'parse' }),
  rule({ code: 'EMPTY_INPUT', path: 'payload', strength: MUST, profile: 'emvco', source: 'policy', text: 'something besides surrounding whitespace (which is tolerated)', check: 'parse' }),
  rule({ code: 'BAD_ID', path: '*', strength: MUST, profile: 'emvco', source: 'EMV np, mv', text: 'Data object = ID (2 digits) + length (2 digits) + value: the ID is two digits', check: 'parse' }),
  rule({ code: 'BAD_LENGTH', path: '*', strength: MUST, profile: 'emvco', source: 'EMV np, mv', text: 'the length field is two digits', check: 'parse' }),
  rule({ code: 'TRUNCATED', path: '*', strength: MUST, profile: 'emvco', source: 'EMV np, mv', text: 'the value holds as many characters as its length says', check: 'parse' }),
  rule({ code: 'PFI_MISSING', path: '00', strength: MUST, profile: 'emvco', source: 'EMV kh, np; sq', text: '00 present', check: 'parse' }),
  rule({ code: 'PFI_NOT_FIRST', path: '00', strength: MUST, profile: 'emvco', source: 'EMV kh, np; sq', text: '00 first', check: 'parse' }),
  rule({ code: 'CRC_MISSING', path: '63', strength: MUST, profile: 'emvco', source: 'EMV np; sq', text: '63 present', check: 'parse' }),
  rule({ code: 'CRC_NOT_LAST', path: '63', strength: MUST, profile: 'emvco', source: 'EMV np; sq', text: '63 last', check: 'parse' }),
  rule({ code: 'CRC_BAD_LENGTH', path: '63', strength: MUST, profile: 'emvco', source: 'EMV np; sq', text: '63 has length 04', check: 'parse' }),
  rule({ code: 'CRC_BAD_FORMAT', path: '63', strength: MUST, profile: 'emvco', source: 'EMV np, kh, bd', text: '63 is four hex digits', check: 'parse' }),
  rule({ code: 'CRC_MISMATCH', path: '63', strength: MUST, profile: 'emvco', source: 'EMV np, kh, bd', text: 'CRC-16/CCITT-FALSE over every object up to and including `6304`', check: 'crc' }),
  rule({ code: 'DUPLICATE_ID', path: 'root', strength: MUST, profile: 'emvco', source: 'QRIS 4.3.1.2 sq', text: 'an ID at most once in the root', check: 'parse' }),
  rule({ code: 'DUPLICATE_SUB_ID', path: '26-51/*, 62/*, 64/*, 65-99/*, 62/50-99/*', strength: MUST, profile: 'emvco', source: 'QRIS 4.3.1.2 sq', text: 'an ID at most once within each template', check: 'duplicates' }),
  rule({ code: 'TOO_LONG', path: 'payload', strength: MUST, profile: 'emvco', source: 'policy', text: `at most ${MAX_INPUT_LENGTH} characters (no QR symbol holds more than 2953 bytes); refused before any scan`, check: 'parse', limits: { max: MAX_INPUT_LENGTH } }),
  rule({ code: 'LONG_PAYLOAD', path: 'payload', strength: SHOULD, profile: 'emvco', source: 'QRIS 4.1 sq', text: 'at most 512 characters', check: 'length', limits: { max: 512 } }),
  rule({ code: 'CRC_LOWERCASE', path: '63', strength: SHOULD, profile: 'emvco', source: 'policy', text: 'CRC hex digits in uppercase', check: 'parse' }),
  rule({ code: 'TEMPLATE_NOT_TLV', path: '26-51, 62, 62/50-99, 64, 65-99', strength: SHOULD, profile: 'emvco', source: 'policy', text: 'a template value that is not data objects is kept raw, with this warning', check: 'parse' }),
  rule({ code: 'MALFORMED_TEMPLATE', path: '26-51, 62, 64, 80-99', strength: MUST, profile: 'emvco', source: 'EMV np, mv', text: "a template's value is data objects (62/50-99 and 65-79 are opaque: warning only)", check: 'templates' }),
  rule({ code: 'LONE_SURROGATE', path: '*', strength: MUST, profile: 'emvco', source: 'policy', text: 'no unpaired UTF-16 surrogate (it has no UTF-8 form: no QR can carry it)', check: 'surrogates' }),
  rule({ code: 'BAD_FORMAT', path: '*', strength: MUST, profile: 'emvco', source: 'policy', text: 'no control characters in any value', check: 'controls', samples: { at: '59', bad: ['GREEN\tPAW'], good: ['GREEN PAW'] } }),

  // ---- Root data objects ---------------------------------------------------------------------------
  rule({ code: 'BAD_PAYLOAD_FORMAT', path: '00', strength: MUST, profile: 'emvco', source: 'EMV kh, bd', text: '`01`', check: 'oneOf', values: ['01'], samples: { bad: ['02'], good: ['01'] } }),
  rule({ code: 'BAD_POINT_OF_INITIATION', path: '01', strength: MUST, profile: 'emvco', source: 'EMV kh, mv; QRIS 4.7.2.1 sq', text: '`11` static or `12` dynamic when present; others RFU', check: 'oneOf', values: ['11', '12'], samples: { bad: ['13', '1'], good: ['11', null] } }),
  rule({ code: 'MISSING_TAG', path: '52, 53, 58, 59, 60', strength: MUST, profile: 'emvco', source: 'EMV mv, bd, np', text: 'mandatory: 52, 53, 58, 59, 60', check: 'present', samples: { bad: [null] } }),
  rule({ code: 'MISSING_MERCHANT_ACCOUNT', path: '02-51', strength: MUST, profile: 'emvco', source: 'EMV np, bd', text: 'one or more merchant accounts (02-51)', check: 'merchantAccount' }),
  rule({ code: 'BAD_FORMAT', path: '52, 53', strength: MUST, profile: 'emvco', source: 'EMV mv, bd', text: 'format N: digits only', check: 'digits', samples: { at: '52', bad: ['07A2'], good: ['0742'] } }),
  length('52', 4, 4, 'EMV mv, bd', { bad: ['111', '11111'], good: ['0742'] }),
  length('53', 3, 3, 'EMV mv, bd', { bad: ['76', '7640'], good: ['764'] }),
  length('54', 1, 13, 'EMV bd, np; QRIS 4.7.8.1 sq', { bad: ['12345678901.00'], good: ['1234567890.00', '1'] }),
  length('56', 1, 13, 'EMV bd', { bad: ['12345678901.00'], good: ['1234567890.00'] }),
  length('57', 1, 5, 'EMV bd, mv', { bad: ['99.990'], good: ['99.99', '5'] }),
  length('58', 2, 2, 'EMV mv, bd', { bad: ['THA', 'T'], good: ['TH'] }),
  length('59', 1, 25, 'EMV mv, np'),
  length('60', 1, 15, 'EMV mv, np'),
  length('61', 1, 10, 'EMV mv, np'),
  rule({ code: 'NON_ASCII', path: '02-25, 59, 60, 61, 62/01-08', strength: MUST, profile: 'emvco', source: 'EMV mv, np', text: 'format ans: the common character set (printable ASCII); local-language text goes in 64', check: 'commonCharset', samples: { at: '59', bad: ['Kopi Señor Café'], good: ['Kopi Senor Cafe'] } }),
  rule({ code: 'BAD_AMOUNT', path: '54', strength: MUST, profile: 'emvco', source: 'EMV bd, np; QRIS 4.7.8.1 sq', text: 'digits with at most one `.` (`98.73`, `98`, `98.` valid; `98,73`, `1.000.000`, sign, exponent, `.5` invalid)', check: 'amountFormat', samples: { bad: ['98,73', '1.000.0', '-100', '1e5', '.5', '3 705'], good: ['98.73', '98', '98.', '1000.00'] } }),
  rule({ code: 'BAD_AMOUNT', path: '54', strength: MUST, profile: 'emvco', source: 'EMV bd; QRIS 4.7.8.1 sq', text: 'non-zero', check: 'nonZero', samples: { bad: ['0', '0.00', '000.', '00'], good: ['0.01', '1.'] } }),
  rule({ code: 'AMOUNT_DECIMALS', path: '54, 56', strength: SHOULD, profile: 'emvco', source: 'EMV bd', text: 'decimals at most the ISO 4217 exponent of 53 (IDR: 2)', check: 'decimals', samples: { bad: ['1000.000'], good: ['1000.00', '1000.'] } }),
  rule({ code: 'BAD_TIP_INDICATOR', path: '55', strength: MUST, profile: 'emvco', source: 'EMV bd, mv', text: '`01` tip prompt, `02` fixed fee, `03` percentage fee', check: 'oneOf', values: ['01', '02', '03'], samples: { bad: ['04', '00'], good: ['01'] } }),
  rule({ code: 'FEE_VALUE_MISSING', path: '56', strength: MUST, profile: 'emvco', source: 'EMV bd', text: '56 present when 55 = `02`', check: 'present', when: { '55': '02' }, samples: { bad: [null], good: ['500'] } }),
  rule({ code: 'FEE_VALUE_MISSING', path: '57', strength: MUST, profile: 'emvco', source: 'EMV bd, mv', text: '57 present when 55 = `03`', check: 'present', when: { '55': '03' }, samples: { bad: [null], good: ['5'] } }),
  rule({ code: 'FEE_VALUE_UNEXPECTED', path: '56', strength: MUST, profile: 'emvco', source: 'EMV bd', text: '56 absent unless 55 = `02`', check: 'absent', unless: { '55': '02' }, samples: { bad: ['500'], good: [null] } }),
  rule({ code: 'FEE_VALUE_UNEXPECTED', path: '57', strength: MUST, profile: 'emvco', source: 'EMV bd, mv', text: '57 absent unless 55 = `03`', check: 'absent', unless: { '55': '03' }, samples: { bad: ['5'], good: [null] } }),
  rule({ code: 'BAD_FEE', path: '56', strength: MUST, profile: 'emvco', source: 'EMV bd', text: 'the number format of 54 (`1000.` valid)', check: 'amountFormat', samples: { bad: ['1,000', '-5', '.5'], good: ['1000.', '1000', '2500.50'] } }),
  rule({ code: 'BAD_FEE', path: '56', strength: MUST, profile: 'emvco', source: 'EMV bd', text: 'non-zero', check: 'nonZero', samples: { bad: ['0', '0.00'], good: ['0.01'] } }),
  rule({ code: 'BAD_FEE', path: '57', strength: MUST, profile: 'emvco', source: 'EMV bd, mv; QRIS 4.7.11.1 sq', text: '`00.01`-`99.99`, no `%` (`5.` valid)', check: 'percentRange', samples: { bad: ['0.001', '100', '0', '5%', '00.00'], good: ['00.01', '99.99', '5.', '5'] } }),
  rule({ code: 'BAD_COUNTRY', path: '58', strength: MUST, profile: 'emvco', source: 'EMV mv, bd', text: 'ISO 3166-1 alpha-2: two capital letters', check: 'capitals', samples: { bad: ['1D', 'id'], good: ['TH'] } }),

  // ---- Templates 26-51 and 80-99 -------------------------------------------------------------------
  rule({ code: 'MISSING_GUID', path: '26-51/00, 80-99/00', strength: MUST, profile: 'emvco', source: 'EMV np, bd', text: 'sub-ID 00 (GUID) present', check: 'present', samples: { at: '80/00', bad: [null], good: ['A000000677010111'] } }),
  length('26-51/00, 80-99/00', 1, 32, 'EMV np, bd', { at: '80/00', bad: ['COM.' + 'A'.repeat(29)], good: ['COM.' + 'A'.repeat(28)] }),
  rule({ code: 'BAD_GUID', path: '26-51/00, 80-99/00', strength: MUST, profile: 'emvco', source: 'EMV np, bd', text: 'an AID (10-32 hex digits), a UUID without hyphens or a reverse domain; case free (QRIS 26-45: see the QRIS row)', check: 'guid', samples: { at: '80/00', bad: ['ID CO BCA', '00'], good: ['A000000677010111', 'com.example', '0123456789abcdef0123456789ABCDEF'] } }),

  // ---- Additional Data Field (62) ------------------------------------------------------------------
  length('62/01-08', 1, 25, 'EMV mv, bd, np', { at: '62/01' }),
  length('62/09', 1, 3, 'EMV mv, bd', { bad: ['AMEA'], good: ['AME'], alsoBreaks: ['BAD_CONSUMER_DATA_REQUEST'] }),
  rule({ code: 'BAD_CONSUMER_DATA_REQUEST', path: '62/09', strength: MUST, profile: 'emvco', source: 'EMV mv, bd', text: 'any of `A` address, `M` mobile, `E` email, each at most once', check: 'consumerData', samples: { bad: ['AA', 'X', 'a'], good: ['AME', 'M'] } }),
  rule({ code: 'PROMPT_NOT_ALLOWED', path: '*', strength: MUST, profile: 'emvco', source: 'EMV mv, bd, np', text: '`***` (the app asks the consumer) only in 62/01-08', check: 'prompt', samples: { at: '62/10', bad: ['***'], good: ['**'] } }),
  rule({ code: 'RFU_SUB_ID', path: '62/00, 62/12-49', strength: SHOULD, profile: 'emvco', source: 'policy', text: 'sub-IDs reserved for EMVCo are not used', check: 'absent', samples: { at: '62/12', bad: ['X'], good: [null] } }),

  // ---- Language template (64) ----------------------------------------------------------------------
  rule({ code: 'LANGUAGE_INCOMPLETE', path: '64/00, 64/01', strength: MUST, profile: 'emvco', source: 'EMV np', text: '00 and 01 present whenever 64 is', check: 'present' }),
  length('64/00', 2, 2, 'EMV np, bd', { bad: ['IDN'], good: ['ID'] }),
  rule({ code: 'BAD_LANGUAGE', path: '64/00', strength: MUST, profile: 'emvco', source: 'EMV np, bd', text: 'ISO 639: letters', check: 'letters', samples: { bad: ['I1'], good: ['ZH', 'id'] } }),
  length('64/01', 1, 25, 'EMV np'),
  length('64/02', 1, 15, 'EMV np'),

  // ---- QRIS profile ---------------------------------------------------------------------------------
  rule({ code: 'QRIS_MISSING_POINT_OF_INITIATION', path: '01', strength: SHOULD, profile: 'qris', source: 'field', text: '01 present (every field code carries it)', check: 'present', samples: { bad: [null], good: ['11'] } }),
  rule({ code: 'QRIS_BAD_CURRENCY', path: '53', strength: MUST, profile: 'qris', source: 'QRIS 4.7.7.1 sq', text: '`360` when 58 = `ID`', check: 'oneOf', values: ['360'], when: { '58': 'ID' }, samples: { bad: ['840'], good: ['360'] } }),
  rule({ code: 'QRIS_NO_NATIONAL_TEMPLATE', path: '51', strength: MUST, profile: 'qris', source: 'QRIS 4.7.7 sq', text: '51 present when 01 = `11`', check: 'present', when: { '01': '11' } }),
  rule({ code: 'BAD_GUID', path: '26-45/00', strength: MUST, profile: 'qris', source: 'QRIS 4.7.5.3 sq', text: 'a reverse domain or the default `00`', check: 'qrisGuid', samples: { at: '26/00', bad: ['A000000677010111', 'ID CO BCA'], good: ['00', 'ID.CO.BCA.WWW'] } }),
  rule({ code: 'QRIS_BAD_PAN', path: '26-45/01', strength: MUST, profile: 'qris', source: 'QRIS 4.7.5.4, 4.7.5.5 sq', text: 'MPAN: digits only, 8-19 (its first 8 digits are the NNS); a transfer\'s customer PAN is TRANSFER_BAD_PAN\'s (a SHOULD)', check: 'panDigits', limits: { min: 8, max: 19 }, kinds: ['payment', 'cash-withdrawal', 'cash-deposit'], samples: { at: '26/01', bad: ['93600915ABC', '93600014000128766712', '9360001', '9360 0014 0001'], good: ['9360001400012876671', '93600014'] } }),
  rule({ code: 'QRIS_BAD_NNS', path: '26-45/01', strength: SHOULD, profile: 'qris', source: 'policy', text: 'the NNS (first 8 digits) is a known one (the table is incomplete)', check: 'knownNns', samples: { at: '26/01', bad: ['123456789012345678', '936099990001287667'], good: ['936000140001287667', '936009153022591481'] } }),
  rule({ code: 'QRIS_BAD_CRITERIA', path: '26-45/03, 51/03', strength: MUST, profile: 'qris', source: 'QRIS Table 4.6 sq', text: '`UMI`, `UKE`, `UME`, `UBE`, `URE` (`PSO`, `BLU` seen in codes: accepted)', check: 'oneOf', values: ['UMI', 'UKE', 'UME', 'UBE', 'URE', 'PSO', 'BLU'], samples: { at: '26/03', bad: ['XYZ', 'umi'], good: ['UMI', 'BLU'] } }),
  rule({ code: 'QRIS_BAD_NATIONAL_GUID', path: '51/00', strength: SHOULD, profile: 'qris', source: 'field', text: '`ID.CO.QRIS.WWW` (`ID.OR.GPNQR.WWW`, `ID.OR.QRNPG.WWW` seen: accepted); case free', check: 'oneOf', values: ['ID.CO.QRIS.WWW', 'ID.OR.GPNQR.WWW', 'ID.OR.QRNPG.WWW'], caseFree: true, samples: { bad: ['ID.CO.JALIN.WWW'], good: ['ID.CO.QRIS.WWW', 'id.co.qris.www'] } }),
  rule({ code: 'QRIS_MISSING_NMID', path: '51/02', strength: SHOULD, profile: 'qris', source: 'field', text: '51/02 (NMID) present', check: 'present' }),
  rule({ code: 'QRIS_BAD_NMID', path: '51/02', strength: SHOULD, profile: 'qris', source: 'field (UNVERIFIED)', text: '`ID` + 11-15 digits (samples: 15 characters; 13-17 seen)', check: 'nmid', limits: { min: 13, max: 17 }, samples: { bad: ['ZPM100000000000', 'ID123', 'IDA021081861606'], good: ['ID1021081861606', 'ID10210818616'] } }),
  length('62/99', 1, 91, 'QRIS 4.8.1.4 sq', { bad: ['0007AAAAAAA0177' + 'X'.repeat(77)], good: ['0006AAAAAA0177' + 'X'.repeat(77)] }, 'qris'),
  rule({ code: 'MISSING_GUID', path: '62/99/00', strength: MUST, profile: 'qris', source: 'QRIS Table 4.8 sq', text: '62/99/00 (GUID, default `00`) present', check: 'present', samples: { bad: [null], good: ['00'] } }),
  length('62/99/00', 1, 32, 'QRIS Table 4.8 sq', { bad: ['A'.repeat(33)], good: ['A'.repeat(32)] }, 'qris'),
  rule({ code: 'MISSING_TAG', path: '62/99/01', strength: MUST, profile: 'qris', source: 'QRIS Table 4.8 sq', text: '62/99/01 (proprietary data) present', check: 'present', samples: { bad: [null], good: ['X'] } }),
  length('62/99/01', 1, 81, 'QRIS Table 4.8 sq', undefined, 'qris'),
  rule({ code: 'QRIS_MISSING_POSTAL_CODE', path: '61', strength: SHOULD, profile: 'qris', source: 'QRIS 4.7.15 sq, ast', text: '61 present when 58 = `ID` (many real statics lack it: a warning)', check: 'present', when: { '58': 'ID' }, samples: { bad: [null], good: ['15323'] } }),
  rule({ code: 'QRIS_AMOUNT_OVER_LIMIT', path: '54', strength: SHOULD, profile: 'qris', source: 'BI: bicara131.bi.go.id knowledge base KA-01080', text: 'a QRIS payment is at most Rp 10.000.000 (since 1 March 2022; issuers may set lower limits; transfer and cash limits are each provider\'s own)', check: 'maxAmount', limits: { max: 10_000_000 }, when: { '53': '360' }, kinds: ['payment'], samples: { bad: ['10000000.01', '10000001', '25000000.'], good: ['10000000', '10000000.00', '9999999.99'] } }),
  rule({ code: 'TRANSFER_BAD_PURPOSE', path: '62/08', strength: MUST, profile: 'qris', source: 'ast (ASPI QRIS MPM Transfer Table 3.23, text not public)', text: 'with root 40 present (a transfer template), a 4-capital-letter purpose is one of Table 3.23: `BOOK`, `DMCT`, `XBCT`, `CWDL`, `CDPT`, `POSP`, `BILL` (other text is a payment\'s free purpose)', check: 'purpose', values: ['BOOK', 'DMCT', 'XBCT', 'CWDL', 'CDPT', 'POSP', 'BILL'] }),

  // ---- QRIS transfer codes (root 40 + 62/08 BOOK/DMCT/XBCT; digest "Code kinds") ----------------------
  // ast quotes ASPI "QRIS MPM Transfer" §4.2 and Tables 3.20 / 3.23; the ASPI text itself is not public.
  rule({ code: 'TRANSFER_NOT_DYNAMIC', path: '01', strength: MUST, profile: 'qris', source: 'ast (ASPI Transfer §4.2, not public)', text: 'a transfer has 01 = `12`, with or without 54 (without: the sender types the amount)', check: 'oneOf', values: ['12'], kinds: ['transfer'], samples: { bad: ['11'], good: ['12'], alsoBreaks: ['QRIS_NO_NATIONAL_TEMPLATE'] } }),
  rule({ code: 'TRANSFER_NOT_DYNAMIC', path: '01', strength: MUST, profile: 'qris', source: 'ast (ASPI Transfer §4.2, not public)', text: 'a transfer carries 01', check: 'present', kinds: ['transfer'], samples: { bad: [null], alsoBreaks: ['QRIS_MISSING_POINT_OF_INITIATION'] } }),
  rule({ code: 'MISSING_TAG', path: '40/01, 40/02', strength: MUST, profile: 'qris', source: 'ast (ASPI Transfer Table 3.20, not public)', text: 'a transfer\'s 40 holds 01 (customer PAN) and 02 (beneficiary ID)', check: 'present', kinds: ['transfer'] }),
  rule({ code: 'TRANSFER_BAD_PAN', path: '40/01', strength: SHOULD, profile: 'qris', source: 'ast (ASPI Transfer Table 3.20, not public)', text: 'customer PAN: 16-19 digits (first 8 the NNS); SHOULD, as the digest gives it for transfers', check: 'panDigits', limits: { min: 16, max: 19 }, kinds: ['transfer'], samples: { bad: ['936008223000200', '93600822300020013550'], good: ['9360082230002001355', '9360082230002001'] } }),
  rule({ code: 'TRANSFER_LONG_BENEFICIARY_ID', path: '40/02', strength: SHOULD, profile: 'qris', source: 'ast (ASPI Transfer Table 3.20, not public)', text: 'beneficiary ID at most 15 characters (free text in practice: DANA writes a name)', check: 'length', limits: { min: 1, max: 15 }, kinds: ['transfer'], samples: { bad: ['Siti Rahmawati Putri'], good: ['200135', 'Siti Rahmawati'] } }),
  rule({ code: 'TRANSFER_BAD_BIC', path: '40/04', strength: SHOULD, profile: 'qris', source: 'ast (ASPI Transfer Table 3.20, not public)', text: 'BIC: 8-11 capital letters and digits (e.g. `CENAIDJA`)', check: 'bic', kinds: ['transfer'], samples: { bad: ['CENAID', 'CENA IDJA', 'cenaidja'], good: ['CENAIDJA', 'CENAIDJAXXX'] } }),
  rule({ code: 'TRANSFER_BAD_MCC', path: '52', strength: MUST, profile: 'qris', source: 'ast (ASPI Transfer Table 3.20, not public)', text: 'a transfer\'s MCC is `4829` (money transfer)', check: 'oneOf', values: ['4829'], kinds: ['transfer'], samples: { bad: ['5812'], good: ['4829'] } }),
  rule({ code: 'MISSING_TAG', path: '62/99', strength: MUST, profile: 'qris', source: 'ast (ASPI Transfer Table 3.20, not public)', text: 'a transfer carries 62/99 (00 = `00`, 01 unique data)', check: 'present', kinds: ['transfer'] }),
  rule({ code: 'TRANSFER_BAD_UNIQUE_GUID', path: '62/99/00', strength: MUST, profile: 'qris', source: 'ast (ASPI Transfer Table 3.20, not public)', text: 'a transfer\'s 62/99/00 is `00`', check: 'oneOf', values: ['00'], kinds: ['transfer'], samples: { bad: ['01', 'ID.CO.QRIS.WWW'], good: ['00'] } }),
  rule({ code: 'TRANSFER_UNIQUE_DATA_LENGTH', path: '62/99/01', strength: SHOULD, profile: 'qris', source: 'ast (ASPI Transfer Table 3.20, not public)', text: 'a transfer\'s unique data (62/99/01) has 8-64 characters', check: 'length', limits: { min: 8, max: 64 }, kinds: ['transfer'], samples: { bad: ['1234567', 'U'.repeat(65)], good: ['12345678', 'U'.repeat(64)] } }),
  rule({ code: 'TRANSFER_WITH_FEE', path: '55, 56, 57', strength: SHOULD, profile: 'qris', source: 'policy (ast: a transfer has no tip objects)', text: 'a transfer carries no tip or convenience fee (55-57); toDynamic and build refuse one (TRANSFER_FEE)', check: 'absent', kinds: ['transfer'], samples: { at: '55', bad: ['01'], good: [null] } }),

  // ---- National overlays (digest "National overlays"): each scheme's rows and relaxations ----------
  // `relax` rows name the EMVCo row (code + path) the scheme relaxes; nothing else is relaxed.
  rule({ code: 'BAD_PAYLOAD_FORMAT', path: '00', strength: MUST, profile: 'duitnow', source: 'P: PayNet DuitNow QR MPM v1.5 (docs.developer.paynet.my)', text: 'relaxed: `02` ("Version 02") accepted besides `01`', check: 'relax', values: ['02'] }),
  rule({ code: 'MALFORMED_TEMPLATE', path: '82', strength: MUST, profile: 'duitnow', source: 'field: natsu90/duitnowqr-test samples (UNVERIFIED: not in the PayNet text as digested)', text: 'relaxed: 82 holds a raw reference, not data objects', check: 'relax' }),
  rule({ code: 'TEMPLATE_NOT_TLV', path: '82', strength: SHOULD, profile: 'duitnow', source: 'field: natsu90/duitnowqr-test samples (UNVERIFIED: not in the PayNet text as digested)', text: 'relaxed: 82 holds a raw reference, not data objects', check: 'relax' }),
  rule({ code: 'MISSING_GUID', path: '82/00', strength: MUST, profile: 'duitnow', source: 'field: natsu90/duitnowqr-test samples (UNVERIFIED: not in the PayNet text as digested)', text: 'relaxed: 82 holds a raw reference, so no GUID', check: 'relax' }),
  rule({ code: 'MISSING_TAG', path: '01', strength: MUST, profile: 'duitnow', source: 'P: PayNet DuitNow QR MPM v1.5', text: '01 present', check: 'present', samples: { bad: [null] } }),
  rule({ code: 'SCHEME_BAD_CURRENCY', path: '53', strength: MUST, profile: 'duitnow', source: 'P: PayNet DuitNow QR MPM v1.5', text: '`458` (MYR)', check: 'oneOf', values: ['458'], samples: { bad: ['840'], good: ['458'] } }),
  rule({ code: 'MISSING_TAG', path: '52, 59, 60', strength: MUST, profile: 'promptpay', source: 'S: maythiwat/promptparse (BOT guideline not read)', text: 'relaxed: PromptPay codes may omit 52, 59, 60 (P2P per the source; its bill-payment samples too)', check: 'relax' }),
  rule({ code: 'MALFORMED_TEMPLATE', path: '81', strength: MUST, profile: 'promptpay', source: 'S: maythiwat/promptparse (BOT guideline not read)', text: 'relaxed: 81 holds a message (UTF-16 hex), not data objects', check: 'relax' }),
  rule({ code: 'TEMPLATE_NOT_TLV', path: '81', strength: SHOULD, profile: 'promptpay', source: 'S: maythiwat/promptparse (BOT guideline not read)', text: 'relaxed: 81 holds a message (UTF-16 hex), not data objects', check: 'relax' }),
  rule({ code: 'MISSING_GUID', path: '81/00', strength: MUST, profile: 'promptpay', source: 'S: maythiwat/promptparse (BOT guideline not read)', text: 'relaxed: 81 holds a message, so no GUID', check: 'relax' }),
  rule({ code: 'SCHEME_BAD_CURRENCY', path: '53', strength: MUST, profile: 'promptpay', source: 'S: maythiwat/promptparse (BOT guideline not read)', text: '`764` (THB)', check: 'oneOf', values: ['764'], samples: { bad: ['840'], good: ['764'] } }),
  rule({ code: 'PROMPTPAY_BAD_TARGET', path: '29/01, 29/02', strength: MUST, profile: 'promptpay', source: 'S: maythiwat/promptparse (BOT guideline not read)', text: 'mobile (`0066` + 9 digits) or national / tax ID: 13 digits', check: 'panDigits', limits: { min: 13, max: 13 }, samples: { at: '29/01', bad: ['0812345678', '00668123456789'], good: ['0066812345678'] } }),
  rule({ code: 'PROMPTPAY_BAD_TARGET', path: '29/03', strength: MUST, profile: 'promptpay', source: 'S: maythiwat/promptparse (BOT guideline not read)', text: 'e-wallet ID: 15 digits', check: 'panDigits', limits: { min: 15, max: 15 }, samples: { bad: ['14000080111111'], good: ['140000801111111'] } }),
  rule({ code: 'MISSING_TAG', path: '52, 59, 60', strength: MUST, profile: 'vietqr', source: 'S: NAPAS VietQR spec per subiz/vietqr (NAPAS text not read)', text: 'relaxed: VietQR person-to-person codes omit 52, 59, 60', check: 'relax' }),
  rule({ code: 'SCHEME_BAD_CURRENCY', path: '53', strength: MUST, profile: 'vietqr', source: 'S: NAPAS VietQR spec per subiz/vietqr (NAPAS text not read)', text: '`704` (VND)', check: 'oneOf', values: ['704'], samples: { bad: ['840'], good: ['704'] } }),
  rule({ code: 'VIETQR_BAD_BENEFICIARY', path: '38/01', strength: MUST, profile: 'vietqr', source: 'S: NAPAS VietQR spec per subiz/vietqr (NAPAS text not read)', text: 'data objects: 00 bank BIN (6 digits), 01 account or card (1-19 characters)', check: 'vietqrBeneficiary', samples: { bad: ['00069704180110', '0006ABCDEF01101234567890', '00069704180120' + '1'.repeat(20)], good: ['000697041801101234567890'] } }),
  rule({ code: 'VIETQR_BAD_SERVICE', path: '38/02', strength: MUST, profile: 'vietqr', source: 'S: NAPAS VietQR spec per subiz/vietqr (NAPAS text not read)', text: '`QRIBFTTA` (to an account) or `QRIBFTTC` (to a card)', check: 'oneOf', values: ['QRIBFTTA', 'QRIBFTTC'], samples: { bad: ['QRPUSH'], good: ['QRIBFTTC'] } }),
  rule({ code: 'SCHEME_BAD_CURRENCY', path: '53', strength: MUST, profile: 'paynow', source: 'S: jaynzr/go-paynow (MAS/IMDA SGQR spec not read)', text: '`702` (SGD)', check: 'oneOf', values: ['702'], samples: { bad: ['840'], good: ['702'] } }),
  rule({ code: 'PAYNOW_BAD_PROXY_TYPE', path: '26-51/01', strength: MUST, profile: 'paynow', guid: ['SG.PAYNOW'], source: 'S: jaynzr/go-paynow (MAS/IMDA SGQR spec not read)', text: 'in the `SG.PAYNOW` template (SGQR holds many schemes): proxy type `0` (mobile) or `2` (UEN)', check: 'oneOf', values: ['0', '2'], samples: { bad: ['3', 'M'], good: ['0'] } }),
  rule({ code: 'PAYNOW_BAD_EDITABLE', path: '26-51/03', strength: MUST, profile: 'paynow', guid: ['SG.PAYNOW'], source: 'S: jaynzr/go-paynow (MAS/IMDA SGQR spec not read)', text: 'amount editable: `0` or `1`', check: 'oneOf', values: ['0', '1'], samples: { bad: ['2', 'Y'], good: ['0'] } }),
  rule({ code: 'PAYNOW_BAD_EXPIRY', path: '26-51/04', strength: MUST, profile: 'paynow', guid: ['SG.PAYNOW'], source: 'S: jaynzr/go-paynow (MAS/IMDA SGQR spec not read)', text: 'expiry `YYYYMMDD` or `YYYYMMDDHHMMSS`, a real date and time', check: 'expiry', samples: { bad: ['99991331', '2026120', '20261207250000'], good: ['20261207', '20261207235959'] } }),

  // ---- Library warnings without a spec rule --------------------------------------------------------
  rule({ code: 'STATIC_WITH_AMOUNT', path: '54', strength: SHOULD, profile: 'emvco', source: 'policy', text: 'no amount on a static code (01 = `11`)', check: 'staticWithAmount' }),
  rule({ code: 'DYNAMIC_WITHOUT_AMOUNT', path: '01', strength: SHOULD, profile: 'emvco', source: 'policy', text: 'a dynamic payment code (01 = `12`) carries 54 (transfer and cash codes without 54 ask for the amount: not reported)', check: 'dynamicWithoutAmount', kinds: ['payment'] }),
  rule({ code: 'QRIS_COUNTRY_MISMATCH', path: '58', strength: SHOULD, profile: 'emvco', source: 'policy', text: 'currency 360 (IDR) comes with country `ID`', check: 'countryMismatch' }),
] as const satisfies readonly RuleSpec[]);

export type Rule = (typeof RULES)[number];

/** Every code `validate` can report: the QrisError codes of a broken structure and the rule codes. */
export type ValidationCode = Rule['code'];

/** Issue codes with their severity, generated from `RULES`. */
export const VALIDATION_CODES: Readonly<Record<ValidationCode, 'error' | 'warning'>> = /* @__PURE__ */ (() => {
  const out = {} as Record<string, 'error' | 'warning'>;
  for (const r of RULES) {
    const severity = r.strength === 'MUST' ? 'error' : 'warning';
    if (out[r.code] !== undefined && out[r.code] !== severity) throw new Error(`rules: ${r.code} has rows of both strengths`);
    out[r.code] = severity;
  }
  return Object.freeze(out);
})();

/**
 * The limits of the rule of `code` that names `path` exactly (e.g. `limitOf('BAD_VALUE_LENGTH',
 * '54')`): what build, toDynamic and the amount formatter enforce. Throws for a missing row (a bug).
 */
export function limitOf(code: ValidationCode, path: string): { readonly min: number; readonly max: number } {
  for (const r of RULES as readonly RuleSpec[]) {
    if (r.code === code && r.limits !== undefined && r.path.split(', ').includes(path)) return { min: r.limits.min ?? 0, max: r.limits.max ?? Infinity };
  }
  throw new Error(`rules: no limit for ${code} at ${path}`);
}

/** The `values` of the rule of `code` at `path` exactly (e.g. the QRIS national GUIDs of 51/00). */
export function valuesOf(code: ValidationCode, path: string): readonly string[] {
  for (const r of RULES as readonly RuleSpec[]) if (r.code === code && r.values !== undefined && r.path === path) return r.values;
  throw new Error(`rules: no values for ${code} at ${path}`);
}

/** Largest value length the rule table allows at a concrete path (`59`, `62/05`, `64/01`), or undefined. */
export function maxLengthAt(path: string): number | undefined {
  for (const r of RULES as readonly RuleSpec[]) {
    if (r.code === 'BAD_VALUE_LENGTH' && r.limits?.max !== undefined && expandPath(r.path).includes(path)) return r.limits.max;
  }
  return undefined;
}

/** SHOULD: a payload holds at most 512 characters (QRIS 4.1). */
export const MAX_PAYLOAD_LENGTH = limitOf('LONG_PAYLOAD', 'payload').max;
/** Library policy: input longer than this is refused (`TOO_LONG`) before any scan (the codec owns it). */
export { MAX_INPUT_LENGTH };
/** 54 and 56: at most 13 characters. */
export const MAX_AMOUNT_LENGTH = limitOf('BAD_VALUE_LENGTH', '54').max;
/** 57: at most 5 characters. */
export const MAX_PERCENT_LENGTH = limitOf('BAD_VALUE_LENGTH', '57').max;
/** Bank Indonesia's limit for one QRIS payment, in rupiah (54 above it: QRIS_AMOUNT_OVER_LIMIT). */
export const QRIS_PAYMENT_LIMIT = limitOf('QRIS_AMOUNT_OVER_LIMIT', '54').max;
/** 62/01-08: at most 25 characters. */
export const ADDITIONAL_DATA_MAX = limitOf('BAD_VALUE_LENGTH', '62/01-08').max;

/**
 * The concrete paths of a row's path pattern: `26-51/00, 80-99/00` -> `26/00` ... `99/00`.
 * Patterns with `*` or a word (`payload`, `root`) come back as written.
 */
export function expandPath(pattern: string): string[] {
  const out: string[] = [];
  for (const alt of pattern.split(', ')) {
    let acc = [''];
    for (const seg of alt.split('/')) {
      const m = /^(\d\d)-(\d\d)$/.exec(seg);
      const ids = m ? range(Number(m[1]), Number(m[2])) : [seg];
      acc = acc.flatMap((a) => ids.map((id) => (a === '' ? id : `${a}/${id}`)));
    }
    out.push(...acc);
  }
  return out;
}

function range(a: number, b: number): string[] {
  const out: string[] = [];
  for (let i = a; i <= b; i++) out.push(i < 10 ? `0${i}` : String(i));
  return out;
}

/** ISO 4217 minor-unit exponents of the currencies in `CURRENCIES` (for AMOUNT_DECIMALS). */
export const CURRENCY_EXPONENT: Readonly<Record<string, number>> = Object.freeze({
  '360': 2,
  '764': 2,
  '704': 0,
  '156': 2,
  '986': 2,
  '356': 2,
  '458': 2,
  '702': 2,
  '608': 2,
  '116': 2,
  '418': 2,
  '104': 2,
  '840': 2,
  '410': 0,
  '392': 0,
  '344': 2,
});
