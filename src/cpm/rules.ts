/**
 * The CPM rule table: every rule `validateCpm()` checks, with its path, strength, profile and the
 * spec digest's source key (../shared/spec/emvco-qris.md, "EMVCo Consumer-Presented Mode").
 * MUST is an error when broken, SHOULD a warning. `EMV v1.0 §x` is the EMV QRCPS Consumer-Presented
 * Mode v1.0 text (public copy: dongri/emvco-qrcode-doc); `ast` is the QRIS CPM profile as
 * astrapay/spring-qris implements it; `policy` is the library's own.
 *
 * Paths name tags in hex: `61/4F` is 4F inside an Application Template, `61/63/9F74` 9F74 inside
 * its transparent template. Lengths are in bytes (Annex A). Pure data: any module can read it.
 */
import { MAX_CPM_TEXT } from './parse.js';

/** Which rule set ran: EMVCo CPM alone, or EMVCo plus the QRIS CPM profile. */
export type CpmProfile = 'emvco' | 'qris';

/**
 * How a row is checked (validate.ts has one function per kind):
 * - `parse`: thrown by parseCpm (validateCpm reports it as its one issue);
 * - `pfiFirst`: the first root object is 85; `oneOf`: the ASCII value is one of `values`;
 * - `count`: how many root objects have the row's tag (`limits`);
 * - `order`: 61 and 62 come right after 85, before any other root object;
 * - `present`: the path exists in each template it names; `length`: value bytes within `limits`;
 * - `format`: the value matches `format`; `pan`: 57 or 5A in each 61 or in the 62;
 * - `poiDuplicates`: no primitive twice in an Application Template plus the Common Data Template;
 * - `placement`: 63 sits in a 61 and 64 in the 62, where a POI looks for transparent data;
 * - `payloadLength`: base64 characters; `qrisApplication`: some 61 carries the QRIS AID;
 * - `qrisLabel`: 50 of the QRIS application is present and one of `values`;
 * - `qrisPan` / `knownNns`: the PAN (5A, else from 57) of the QRIS application.
 */
export type CpmCheckKind =
  | 'parse'
  | 'pfiFirst'
  | 'oneOf'
  | 'count'
  | 'order'
  | 'present'
  | 'length'
  | 'format'
  | 'pan'
  | 'poiDuplicates'
  | 'placement'
  | 'payloadLength'
  | 'qrisApplication'
  | 'qrisLabel'
  | 'qrisPan'
  | 'knownNns';

/** Value formats of Annex A / Table 6.1. */
export type CpmFormat =
  /** printable ASCII (the common character set) */
  | 'ans'
  /** letters, digits and space (50: "special characters limited to space") */
  | 'label'
  /** 1-4 ISO 639-1 codes of two letters */
  | 'languages'
  /** upper-case letters and digits (9F24 PAR) */
  | 'upperAlnum'
  /** BCD digits (n) */
  | 'n'
  /** digits, then F padding (cn) */
  | 'cn'
  /** PAN, D, YYMM, service code, discretionary digits, F pad (Table 6.2) */
  | 'track2';

/** Values for a row's generated tests: `bad` breaks only this rule, `good` is just inside it (hex; `null` removes). */
export interface CpmRuleSamples {
  readonly at?: string;
  readonly bad?: readonly (string | null)[];
  readonly good?: readonly (string | null)[];
}

export interface CpmRuleSpec {
  readonly code: string;
  readonly path: string;
  readonly strength: 'MUST' | 'SHOULD';
  readonly profile: CpmProfile;
  readonly source: string;
  readonly text: string;
  readonly check: CpmCheckKind;
  readonly limits?: { readonly min?: number; readonly max?: number };
  readonly values?: readonly string[];
  readonly format?: CpmFormat;
  readonly samples?: CpmRuleSamples;
}

function rule<const R extends CpmRuleSpec>(r: R): R {
  return Object.freeze(r);
}

/** The QRIS CPM Application Identifier (ast). */
export const QRIS_CPM_AID = 'A0000006022020';

/** Byte-length row (Annex A / Table 6.1), MUST. */
function length<const P extends string>(path: P, min: number, max: number, source: string, samples?: CpmRuleSamples, profile: CpmProfile = 'emvco') {
  const text = min === max ? `${min} bytes` : `${min}-${max} bytes`;
  return rule({
    code: 'CPM_BAD_LENGTH',
    path,
    strength: 'MUST',
    profile,
    source,
    text,
    check: 'length',
    limits: { min, max },
    ...(samples ? { samples } : {}),
  });
}

function format<const P extends string>(path: P, f: CpmFormat, text: string, source: string, samples?: CpmRuleSamples) {
  return rule({ code: 'CPM_BAD_FORMAT', path, strength: 'MUST', profile: 'emvco', source, text, check: 'format', format: f, ...(samples ? { samples } : {}) });
}

const T61 = 'EMV v1.0 Table 6.1, Annex A';

// A table: one rule per line, read and diffed row by row.
// prettier-ignore
export const CPM_RULES = Object.freeze([
  // ---- Input and encoding (parseCpm) ------------------------------------------------------------------
  rule({ code: 'NOT_A_STRING', path: 'payload', strength: 'MUST', profile: 'emvco', source: 'policy', text: 'base64 text, bytes, or a parseCpm() result', check: 'parse' }),
  rule({ code: 'EMPTY_INPUT', path: 'payload', strength: 'MUST', profile: 'emvco', source: 'policy', text: 'something besides surrounding whitespace', check: 'parse' }),
  rule({ code: 'TOO_LONG', path: 'payload', strength: 'MUST', profile: 'emvco', source: 'policy', text: `at most ${MAX_CPM_TEXT} base64 characters or 3072 bytes; refused before decoding`, check: 'parse' }),
  rule({ code: 'BAD_ENCODING', path: 'payload', strength: 'MUST', profile: 'emvco', source: 'EMV v1.0 §5.1.1.1-2', text: 'base64 (RFC 4648, standard alphabet, canonical; padding optional)', check: 'parse' }),
  rule({ code: 'BER_BAD_TAG', path: '*', strength: 'MUST', profile: 'emvco', source: 'EMV v1.0 §3.1.1.1, §5.1.1.2 (Book 3 Annex B)', text: 'a tag ends within 4 bytes and does not start with 00 or FF', check: 'parse' }),
  rule({ code: 'BER_BAD_LENGTH', path: '*', strength: 'MUST', profile: 'emvco', source: 'EMV v1.0 §3.1.1.1 (Book 3 Annex B)', text: 'length in short form or 81 / 82 + 1 / 2 bytes', check: 'parse' }),
  rule({ code: 'TRUNCATED', path: '*', strength: 'MUST', profile: 'emvco', source: 'EMV v1.0 §5.1.1.2 (Book 3 Annex B)', text: 'the data does not end inside a tag or length', check: 'parse' }),
  rule({ code: 'BER_LENGTH_OVERRUN', path: '*', strength: 'MUST', profile: 'emvco', source: 'EMV v1.0 §5.1.1.2 (Book 3 Annex B)', text: 'a value fits in the data and in its template', check: 'parse' }),
  rule({ code: 'TRAILING_BYTES', path: '*', strength: 'MUST', profile: 'emvco', source: 'policy', text: 'no 00 / FF filler after the last object (Book 3 allows it; a QR code has no use for it)', check: 'parse' }),
  rule({ code: 'NESTING_TOO_DEEP', path: '*', strength: 'MUST', profile: 'emvco', source: 'policy', text: 'at most 8 levels of data objects (the root and 7 nested templates)', check: 'parse' }),
  rule({ code: 'CPM_LONG_PAYLOAD', path: 'payload', strength: 'SHOULD', profile: 'emvco', source: 'EMV v1.0 §3.1 (readers need only 512 bytes)', text: 'at most 512 characters of QR text', check: 'payloadLength', limits: { max: 512 } }),

  // ---- Payload (Table 3.1, §5.1.1) --------------------------------------------------------------------
  rule({ code: 'CPM_PFI_NOT_FIRST', path: '85', strength: 'MUST', profile: 'emvco', source: 'EMV v1.0 Table 3.1, §5.1.1.2', text: '85 (Payload Format Indicator) is the first object', check: 'pfiFirst' }),
  rule({ code: 'CPM_BAD_PFI', path: '85', strength: 'MUST', profile: 'emvco', source: 'EMV v1.0 §5.1.1.3, Annex A', text: '85 = `CPV01`', check: 'oneOf', values: ['CPV01'], samples: { bad: ['4350563032', '435056303120'], good: ['4350563031'] } }),
  rule({ code: 'CPM_NO_APPLICATION', path: '61', strength: 'MUST', profile: 'emvco', source: 'EMV v1.0 §5.1.1.3, Table 3.1', text: 'at least one 61 (Application Template)', check: 'count', limits: { min: 1 } }),
  rule({ code: 'CPM_TEMPLATE_COUNT', path: '61', strength: 'MUST', profile: 'emvco', source: 'EMV v1.0 Table 3.1', text: 'at most two 61', check: 'count', limits: { max: 2 } }),
  rule({ code: 'CPM_TEMPLATE_COUNT', path: '62', strength: 'MUST', profile: 'emvco', source: 'EMV v1.0 Table 3.1', text: 'at most one 62 (Common Data Template)', check: 'count', limits: { max: 1 } }),
  rule({ code: 'CPM_TEMPLATE_ORDER', path: 'root', strength: 'MUST', profile: 'emvco', source: 'EMV v1.0 Table 3.1', text: '61 and 62 follow 85 before any other object', check: 'order' }),
  rule({ code: 'CPM_NO_ADF_NAME', path: '61/4F', strength: 'MUST', profile: 'emvco', source: 'EMV v1.0 Table 6.1, §5.1.1.4', text: '4F (ADF Name) in every 61 (a POI skips a 61 without it)', check: 'present' }),
  rule({ code: 'CPM_NO_PAN', path: '61/57, 61/5A, 62/57, 62/5A', strength: 'MUST', profile: 'emvco', source: 'EMV v1.0 Table 6.1', text: '57 (Track 2) or 5A (PAN) in each 61 or in the 62', check: 'pan' }),
  rule({ code: 'CPM_DUPLICATE_POI_DATA', path: '61/*, 62/*', strength: 'MUST', profile: 'emvco', source: 'EMV v1.0 Table 3.1, §5.1.1.10', text: 'no primitive twice in a 61 plus the 62 (63 / 64 content excluded)', check: 'poiDuplicates' }),
  rule({ code: 'CPM_MISPLACED_TEMPLATE', path: '63, 64', strength: 'SHOULD', profile: 'emvco', source: 'EMV v1.0 Table 3.1, §5.1.1.7-9', text: '63 inside a 61 and 64 inside the 62 (elsewhere a POI treats them as unknown objects)', check: 'placement' }),

  // ---- Table 6.1 formats and lengths (in 61 or 62) ------------------------------------------------------
  length('61/4F, 62/4F', 5, 16, 'EMV v1.0 Table 6.1, §5.1.1.4', { at: '61/4F', bad: ['A0000000', 'A0' + '00'.repeat(16)], good: ['A000000055', 'A0' + '00'.repeat(15)] }),
  length('61/50, 62/50', 1, 16, T61, { at: '61/50', bad: ['', '41'.repeat(17)], good: ['41', '41'.repeat(16)] }),
  format('61/50, 62/50', 'label', 'ans, special characters limited to space', T61, { at: '61/50', bad: ['50726F642D31'], good: ['50726F642031'] }),
  length('61/57, 62/57', 1, 19, 'EMV v1.0 Table 6.2, Annex A', { at: '61/57', bad: ['1234567890123456789D4912201123456789012F'], good: ['1234567890123458D191220112345F'] }),
  format('61/57, 62/57', 'track2', 'PAN (≤ 19 digits), D, YYMM, service code (3 digits), discretionary digits, F pad', 'EMV v1.0 Table 6.2', { at: '61/57', bad: ['1234567890123458191220112345', '1234567890123458D1912F', '1234567890123458D19132011F'], good: ['1234567890123458D191220112345F'] }),
  length('61/5A, 62/5A', 1, 10, T61, { at: '61/5A', bad: ['12345678901234567890123F'], good: ['1234567890123458'] }),
  format('61/5A, 62/5A', 'cn', 'cn: digits, then F padding', T61, { at: '61/5A', bad: ['1234567890123A58', '12345F6789'], good: ['123456789012345F'] }),
  length('61/5F20, 62/5F20', 2, 26, T61, { at: '62/5F20', bad: ['41', '41'.repeat(27)], good: ['4141', '41'.repeat(26)] }),
  format('61/5F20, 62/5F20, 61/5F50, 62/5F50', 'ans', 'ans: printable ASCII', T61, { at: '62/5F20', bad: ['4341524409484F4C444552'], good: ['43415244484F4C444552'] }),
  length('61/5F2D, 62/5F2D', 2, 8, T61, { at: '62/5F2D', bad: ['72', '72756573646565656E64'], good: ['6964', '7275657364656E65'] }),
  format('61/5F2D, 62/5F2D', 'languages', 'an: 1-4 ISO 639-1 codes of two letters', T61, { at: '62/5F2D', bad: ['6931', '696465'], good: ['6964656E'] }),
  length('61/9F08, 62/9F08', 2, 2, T61, { at: '61/9F08', bad: ['01', '000100'], good: ['0001'] }),
  length('61/9F19, 62/9F19', 6, 6, T61, { at: '61/9F19', bad: ['0123456789', '01234567890123'], good: ['012345678901'] }),
  format('61/9F19, 62/9F19, 61/9F25, 62/9F25', 'n', 'n: BCD digits', T61, { at: '61/9F19', bad: ['01234567890A'], good: ['012345678901'] }),
  length('61/9F24, 62/9F24', 29, 29, T61, { at: '62/9F24', bad: ['41'.repeat(28), '41'.repeat(30)], good: ['41'.repeat(29)] }),
  format('61/9F24, 62/9F24', 'upperAlnum', 'an*: upper-case letters and digits', T61, { at: '62/9F24', bad: ['61' + '41'.repeat(28)], good: ['31' + '41'.repeat(28)] }),
  length('61/9F25, 62/9F25', 2, 2, T61, { at: '61/9F25', bad: ['34', '345800'], good: ['3458'] }),

  // ---- QRIS CPM profile ----------------------------------------------------------------------------------
  rule({ code: 'QRIS_CPM_BAD_AID', path: '61/4F', strength: 'MUST', profile: 'qris', source: 'ast', text: `a 61 with 4F = \`${QRIS_CPM_AID}\``, check: 'qrisApplication', values: [QRIS_CPM_AID], samples: { bad: ['A0000006022021'], good: [QRIS_CPM_AID] } }),
  rule({ code: 'QRIS_CPM_BAD_LABEL', path: '61/50', strength: 'MUST', profile: 'qris', source: 'ast', text: '50 = `QRISCPM` in the QRIS application', check: 'qrisLabel', values: ['QRISCPM'], samples: { bad: ['5152495320435049', null], good: ['5152495343504D'] } }),
  rule({ code: 'QRIS_CPM_NO_ISSUER_DATA', path: '61/63/9F74', strength: 'MUST', profile: 'qris', source: 'ast', text: '63 holding 9F74 (Issuer QRIS Data) in the QRIS application', check: 'present' }),
  length('61/63/9F74', 8, 64, 'ast', { bad: ['01'.repeat(7), '01'.repeat(65)], good: ['01'.repeat(8), '01'.repeat(64)] }, 'qris'),
  rule({ code: 'QRIS_CPM_BAD_PAN', path: '61/5A, 62/5A, 61/57, 62/57', strength: 'MUST', profile: 'qris', source: 'ast', text: 'the PAN (5A, else from 57) starts with a domestic NNS `9360xxxx`', check: 'qrisPan', samples: { at: '61/5A', bad: ['4111111111111111'], good: ['9360091512345678901F'] } }),
  rule({ code: 'QRIS_CPM_UNKNOWN_NNS', path: '61/5A, 62/5A, 61/57, 62/57', strength: 'SHOULD', profile: 'qris', source: 'policy', text: 'the NNS (first 8 PAN digits) is a known one (the table is incomplete)', check: 'knownNns', samples: { at: '61/5A', bad: ['9360999912345678901F'], good: ['9360001412345678901F'] } }),
] as const satisfies readonly CpmRuleSpec[]);

export type CpmRule = (typeof CPM_RULES)[number];
/** Every code `validateCpm` can report. */
export type CpmValidationCode = CpmRule['code'];

/** Issue codes with their severity, generated from `CPM_RULES`. */
export const CPM_VALIDATION_CODES: Readonly<Record<CpmValidationCode, 'error' | 'warning'>> = /* @__PURE__ */ (() => {
  const out = {} as Record<string, 'error' | 'warning'>;
  for (const r of CPM_RULES) out[r.code] = r.strength === 'MUST' ? 'error' : 'warning';
  return Object.freeze(out);
})();
