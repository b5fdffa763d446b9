/**
 * validate(): every rule broken, as issues. Errors break the EMVCo spec or the QRIS profile in a way
 * that can fail a payment; warnings are real-world quirks that scanners accept (unsorted tags,
 * lowercase CRC, non-ASCII names, QRIS profile details that working codes in the wild lack).
 * Issue codes are stable; the table in the README lists them all.
 */
import { isAmountText } from './amount.js';
import { describeValue, isQrisError, type QrisIssue } from './errors.js';
import { ADDITIONAL_DATA, ADDITIONAL_DATA_MAX, MERCHANT_CRITERIA, rootSpec, type ObjectSpec } from './spec.js';
import { toParsed, type ParsedQris, type TlvNode } from './tlv.js';

export interface ValidationResult {
  /** True when there is no issue of severity `error`. */
  readonly valid: boolean;
  /** Every finding, in payload order. */
  readonly issues: readonly QrisIssue[];
}

/** Issue codes `validate` may report beyond the QrisError codes of a structurally broken payload. */
export const VALIDATION_CODES = Object.freeze({
  CRC_MISMATCH: 'error',
  CRC_LOWERCASE: 'warning',
  TEMPLATE_NOT_TLV: 'error (26-51, 62, 64) / warning (62/50-99, 65-99)',
  MISSING_TAG: 'error',
  MISSING_MERCHANT_ACCOUNT: 'error',
  BAD_FORMAT: 'error',
  NON_ASCII: 'warning',
  BAD_VALUE_LENGTH: 'error',
  BAD_PAYLOAD_FORMAT: 'error',
  BAD_POINT_OF_INITIATION: 'error',
  BAD_AMOUNT: 'error',
  STATIC_WITH_AMOUNT: 'warning',
  DYNAMIC_WITHOUT_AMOUNT: 'warning',
  BAD_TIP_INDICATOR: 'error',
  FEE_VALUE_MISSING: 'error',
  FEE_VALUE_UNEXPECTED: 'error',
  BAD_FEE: 'error',
  // A merchant account template (26-51) without 00 cannot be routed: error. An unreserved template
  // (80-99) without 00 is reported as a warning (see accountTemplate); the table said 'error' only.
  MISSING_GUID: 'error (26-51) / warning (80-99)',
  BAD_GUID: 'warning',
  DUPLICATE_SUB_ID: 'error',
  RFU_SUB_ID: 'warning',
  BAD_CONSUMER_DATA_REQUEST: 'error',
  LANGUAGE_INCOMPLETE: 'error',
  BAD_LANGUAGE: 'error',
  TAGS_NOT_SORTED: 'warning',
  QRIS_BAD_CURRENCY: 'error',
  QRIS_MISSING_POINT_OF_INITIATION: 'error',
  QRIS_NO_NATIONAL_TEMPLATE: 'warning',
  QRIS_BAD_NATIONAL_GUID: 'warning',
  QRIS_MISSING_NMID: 'warning',
  QRIS_BAD_NMID: 'warning',
  QRIS_BAD_CRITERIA: 'warning',
  QRIS_BAD_NNS: 'warning',
  QRIS_COUNTRY_MISMATCH: 'warning',
} as const);

export type ValidationCode = keyof typeof VALIDATION_CODES;

/** Checks a payload against every EMVCo MPM rule and, for Indonesian codes, the QRIS profile. */
export function validate(input: string | ParsedQris): ValidationResult {
  let parsed: ParsedQris;
  try {
    parsed = toParsed(input);
  } catch (e) {
    if (!isQrisError(e)) throw e;
    const issue: QrisIssue = { severity: 'error', code: e.code, message: e.message, ...where(e.offset, e.tag) };
    return { valid: false, issues: [issue] };
  }
  const issues = new Checker(parsed).run();
  issues.sort((a, b) => (a.offset ?? Infinity) - (b.offset ?? Infinity));
  return { valid: !issues.some((i) => i.severity === 'error'), issues };
}

function where(offset: number | undefined, tag: string | undefined): { offset?: number; tag?: string } {
  const w: { offset?: number; tag?: string } = {};
  if (offset !== undefined) w.offset = offset;
  if (tag !== undefined) w.tag = tag;
  return w;
}

class Checker {
  private readonly issues: QrisIssue[] = [];
  private readonly root = new Map<string, TlvNode>();

  constructor(private readonly parsed: ParsedQris) {
    for (const n of parsed.nodes) this.root.set(n.id, n);
  }

  private add(severity: 'error' | 'warning', code: ValidationCode, message: string, node?: TlvNode, tag?: string): void {
    this.issues.push({ severity, code, message, ...where(node?.offset, tag ?? node?.id) });
  }

  run(): QrisIssue[] {
    const { parsed } = this;
    if (!parsed.crc.valid) {
      // Like the QrisError parse throws (and CRC_LOWERCASE): the offset of the four CRC digits.
      const crc = this.root.get('63');
      this.issues.push({
        severity: 'error',
        code: 'CRC_MISMATCH',
        message: `The CRC does not match: the payload declares ${parsed.crc.declared}, its content gives ${parsed.crc.computed}.`,
        ...where(crc === undefined ? undefined : crc.offset + 4, '63'),
      });
    }
    for (const w of parsed.warnings) {
      const nested = w.code === 'TEMPLATE_NOT_TLV' && w.tag !== undefined && (w.tag.includes('/') || Number(w.tag) >= 65);
      const severity = w.code === 'TEMPLATE_NOT_TLV' && !nested ? 'error' : 'warning';
      this.issues.push({ ...w, severity });
    }
    this.presence();
    this.order();
    for (const node of parsed.nodes) this.rootObject(node);
    this.pointOfInitiationAndAmount();
    this.fees();
    if (this.value('58') === 'ID') this.qrisProfile();
    else if (this.value('53') === '360') this.add('warning', 'QRIS_COUNTRY_MISMATCH', `The currency is IDR (360) but the country code is ${describeValue(this.value('58'))}, not ID.`, this.root.get('58'), '58');
    return this.issues;
  }

  private value(id: string): string | undefined {
    return this.root.get(id)?.value;
  }

  private presence(): void {
    for (const id of ['52', '53', '58', '59', '60']) {
      if (!this.root.has(id)) this.add('error', 'MISSING_TAG', `The mandatory ${rootSpec(id)!.name} (ID ${id}) is missing.`, undefined, id);
    }
    if (!this.parsed.nodes.some((n) => Number(n.id) >= 2 && Number(n.id) <= 51)) {
      this.add('error', 'MISSING_MERCHANT_ACCOUNT', 'There is no merchant account information (IDs 02-51); a payment cannot be routed.', undefined, '26');
    }
  }

  private order(): void {
    const ids = this.parsed.nodes.map((n) => Number(n.id));
    for (let i = 1; i < ids.length - 1; i++) {
      if (ids[i]! < ids[i - 1]!) {
        const node = this.parsed.nodes[i]!;
        this.add('warning', 'TAGS_NOT_SORTED', `Data object ${node.id} comes after ${this.parsed.nodes[i - 1]!.id}; EMVCo lists IDs in ascending order (scanners accept any order).`, node);
        return;
      }
    }
  }

  private rootObject(node: TlvNode): void {
    const spec = rootSpec(node.id);
    if (!spec) return;
    this.field(node, node.id, spec);
    const n = Number(node.id);
    if (node.id === '00' && node.value !== '01') this.add('error', 'BAD_PAYLOAD_FORMAT', `The Payload Format Indicator must be 01; found ${describeValue(node.value)}.`, node);
    if (n >= 26 && n <= 51) this.accountTemplate(node, true);
    else if (n >= 80) this.accountTemplate(node, false);
    else if (node.id === '62') this.additionalData(node);
    else if (node.id === '64') this.language(node);
  }

  /** Format and length of one primitive against its spec entry. */
  private field(node: TlvNode, path: string, spec: ObjectSpec): void {
    if (spec.format === 'S') {
      if (node.length < spec.min || node.length > spec.max) this.add('error', 'BAD_VALUE_LENGTH', `${spec.name} (${path}) is empty.`, node, path);
      return;
    }
    if (node.length < spec.min || node.length > spec.max) {
      const range = spec.min === spec.max ? `exactly ${spec.min}` : `${spec.min} to ${spec.max}`;
      this.add('error', 'BAD_VALUE_LENGTH', `${spec.name} (${path}) has ${node.length} characters; it must have ${range}.`, node, path);
    }
    const v = node.value;
    if (spec.format === 'N') {
      if (!/^[0-9]*$/.test(v)) this.add('error', 'BAD_FORMAT', `${spec.name} (${path}) must be digits only; found ${describeValue(v)}.`, node, path);
    } else {
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f]/.test(v)) this.add('error', 'BAD_FORMAT', `${spec.name} (${path}) contains control characters.`, node, path);
      // eslint-disable-next-line no-control-regex
      else if (/[^\u0000-\u007f]/.test(v)) {
        this.add('warning', 'NON_ASCII', `${spec.name} (${path}) has characters outside the EMVCo common character set (ASCII); some scanners may show them wrongly. Use tag 64 for local-language names.`, node, path);
      }
    }
  }

  private duplicates(children: readonly TlvNode[], path: string): Map<string, TlvNode> {
    const m = new Map<string, TlvNode>();
    for (const c of children) {
      if (m.has(c.id)) this.add('error', 'DUPLICATE_SUB_ID', `Sub-object ${c.id} appears twice in ${path}.`, c, `${path}/${c.id}`);
      else m.set(c.id, c);
    }
    return m;
  }

  private accountTemplate(node: TlvNode, merchantAccount: boolean): void {
    if (!node.children) return; // reported as TEMPLATE_NOT_TLV
    const sub = this.duplicates(node.children, node.id);
    const guid = sub.get('00');
    if (!guid) {
      this.add(merchantAccount ? 'error' : 'warning', 'MISSING_GUID', `Template ${node.id} has no Globally Unique Identifier (sub-ID 00).`, node);
      return;
    }
    if (!isGuid(guid.value)) {
      this.add('warning', 'BAD_GUID', `The GUID of template ${node.id} (${describeValue(guid.value)}) is neither a reverse domain name nor an AID.`, guid, `${node.id}/00`);
    }
    for (const c of node.children) {
      if (/[\u0000-\u001f\u007f]/.test(c.value)) this.add('error', 'BAD_FORMAT', `Sub-object ${node.id}/${c.id} contains control characters.`, c, `${node.id}/${c.id}`);
    }
  }

  private additionalData(node: TlvNode): void {
    if (!node.children) return;
    this.duplicates(node.children, '62');
    for (const c of node.children) {
      const path = `62/${c.id}`;
      const n = Number(c.id);
      const known = ADDITIONAL_DATA[c.id];
      if (known) {
        this.field(c, path, { name: known.name, format: 'ANS', min: 1, max: ADDITIONAL_DATA_MAX });
        if (c.id === '09' && !/^(?!.*(.).*\1)[AME]{1,3}$/.test(c.value)) {
          this.add('error', 'BAD_CONSUMER_DATA_REQUEST', `Additional Consumer Data Request (62/09) must be one or more of the letters A, M, E; found ${describeValue(c.value)}.`, c, path);
        }
      } else if (n >= 12 && n <= 49) {
        this.add('warning', 'RFU_SUB_ID', `Sub-object ${path} is reserved for future use by EMVCo.`, c, path);
      } else if (n === 0) {
        this.add('warning', 'RFU_SUB_ID', `Sub-object 62/00 is not defined by EMVCo.`, c, path);
      }
    }
  }

  private language(node: TlvNode): void {
    if (!node.children) return;
    const sub = this.duplicates(node.children, '64');
    const pref = sub.get('00');
    if (!pref || !sub.get('01')) {
      this.add('error', 'LANGUAGE_INCOMPLETE', 'The language template (64) needs a Language Preference (00) and a Merchant Name in that language (01).', node);
    }
    if (pref && !/^[A-Za-z]{2}$/.test(pref.value)) {
      this.add('error', 'BAD_LANGUAGE', `Language Preference (64/00) must be two ISO 639 letters; found ${describeValue(pref.value)}.`, pref, '64/00');
    }
    for (const c of node.children) {
      // 64 allows any UTF-8 character, but not control characters (checked everywhere else too;
      // without this, build() accepted a newline in the alternate-language name).
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f]/.test(c.value)) this.add('error', 'BAD_FORMAT', `Sub-object 64/${c.id} contains control characters.`, c, `64/${c.id}`);
      if (c.id === '01' && c.length > 25) this.add('error', 'BAD_VALUE_LENGTH', `Merchant Name - Alternate Language (64/01) has ${c.length} characters; at most 25.`, c, '64/01');
      if (c.id === '02' && c.length > 15) this.add('error', 'BAD_VALUE_LENGTH', `Merchant City - Alternate Language (64/02) has ${c.length} characters; at most 15.`, c, '64/02');
    }
  }

  private pointOfInitiationAndAmount(): void {
    const poi = this.root.get('01');
    const amount = this.root.get('54');
    if (poi && poi.value !== '11' && poi.value !== '12') {
      this.add('error', 'BAD_POINT_OF_INITIATION', `The Point of Initiation Method (01) must be 11 (static) or 12 (dynamic); found ${describeValue(poi.value)}.`, poi);
    }
    if (amount) {
      if (!isAmountText(amount.value) || Number(amount.value) <= 0) {
        this.add('error', 'BAD_AMOUNT', `The amount (54) must be a positive decimal with an optional '.', no sign or exponent; found ${describeValue(amount.value)}.`, amount);
      }
      if (poi?.value === '11') this.add('warning', 'STATIC_WITH_AMOUNT', 'A static code (01 = 11) carries an amount (54); payers usually expect a dynamic code for a fixed amount.', amount);
    } else if (poi?.value === '12') {
      this.add('warning', 'DYNAMIC_WITHOUT_AMOUNT', 'A dynamic code (01 = 12) carries no amount (54); the payer will enter it.', poi);
    }
  }

  private fees(): void {
    const ind = this.root.get('55');
    const fixed = this.root.get('56');
    const pct = this.root.get('57');
    if (ind && !['01', '02', '03'].includes(ind.value)) {
      this.add('error', 'BAD_TIP_INDICATOR', `The Tip or Convenience Indicator (55) must be 01, 02 or 03; found ${describeValue(ind.value)}.`, ind);
    }
    if (ind?.value === '02' && !fixed) this.add('error', 'FEE_VALUE_MISSING', 'A fixed convenience fee (55 = 02) needs its value in 56.', ind);
    if (ind?.value === '03' && !pct) this.add('error', 'FEE_VALUE_MISSING', 'A percentage convenience fee (55 = 03) needs its value in 57.', ind);
    if (fixed && ind?.value !== '02') this.add('error', 'FEE_VALUE_UNEXPECTED', 'A fixed fee value (56) is present but 55 is not 02.', fixed);
    if (pct && ind?.value !== '03') this.add('error', 'FEE_VALUE_UNEXPECTED', 'A percentage fee value (57) is present but 55 is not 03.', pct);
    if (fixed && (!isAmountText(fixed.value) || Number(fixed.value) <= 0)) {
      this.add('error', 'BAD_FEE', `The fixed fee (56) must be a positive decimal; found ${describeValue(fixed.value)}.`, fixed);
    }
    if (pct && (!isAmountText(pct.value) || !(Number(pct.value) > 0 && Number(pct.value) < 100))) {
      this.add('error', 'BAD_FEE', `The fee percentage (57) must be above 0 and below 100; found ${describeValue(pct.value)}.`, pct);
    }
  }

  private qrisProfile(): void {
    const currency = this.root.get('53');
    if (currency && currency.value !== '360') this.add('error', 'QRIS_BAD_CURRENCY', `A QRIS (country ID) must be in rupiah, currency 360; found ${describeValue(currency.value)}.`, currency);
    if (!this.root.has('01')) this.add('error', 'QRIS_MISSING_POINT_OF_INITIATION', 'QRIS requires the Point of Initiation Method (01).', undefined, '01');
    const national = this.root.get('51');
    if (!national) {
      this.add('warning', 'QRIS_NO_NATIONAL_TEMPLATE', 'There is no QRIS national template (51) with the NMID; some real codes omit it, but the QRIS standard expects it.', undefined, '51');
    } else if (national.children) {
      const sub = new Map(national.children.map((c) => [c.id, c] as const));
      const guid = sub.get('00')?.value;
      if (guid !== undefined && !['ID.CO.QRIS.WWW', 'ID.OR.GPNQR.WWW', 'ID.OR.QRNPG.WWW'].includes(guid.toUpperCase())) {
        this.add('warning', 'QRIS_BAD_NATIONAL_GUID', `The national template (51) GUID is ${describeValue(guid)}, not ID.CO.QRIS.WWW.`, sub.get('00'), '51/00');
      }
      const nmid = sub.get('02');
      if (!nmid) this.add('warning', 'QRIS_MISSING_NMID', 'The national template (51) has no NMID (51/02).', national);
      else if (!/^ID[0-9A-Z]{11,15}$/.test(nmid.value)) {
        this.add('warning', 'QRIS_BAD_NMID', `The NMID (51/02) should be "ID" followed by 11 to 15 digits or capitals; found ${describeValue(nmid.value)}.`, nmid, '51/02');
      }
    }
    for (const node of this.parsed.nodes) {
      const n = Number(node.id);
      if (n < 26 || n > 51 || !node.children) continue;
      for (const c of node.children) {
        if (c.id === '03' && !(c.value in MERCHANT_CRITERIA)) {
          this.add('warning', 'QRIS_BAD_CRITERIA', `Merchant criteria ${node.id}/03 is ${describeValue(c.value)}; QRIS uses UMI, UKE, UME, UBE or URE.`, c, `${node.id}/03`);
        }
        if (c.id === '01' && n <= 45 && !/^9360[0-9]{4}/.test(c.value)) {
          this.add('warning', 'QRIS_BAD_NNS', `The merchant PAN ${node.id}/01 does not start with an Indonesian NNS (9360 and four digits).`, c, `${node.id}/01`);
        }
      }
    }
  }
}

/** Reverse domain name (letters, digits, '-', dots; at least two labels) or an AID (10-32 hex digits). */
function isGuid(v: string): boolean {
  return /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(v) || /^[0-9A-Fa-f]{10,32}$/.test(v);
}
