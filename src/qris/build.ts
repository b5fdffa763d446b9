/**
 * build(): a payload from typed fields. Values are checked against the spec table, the tree is
 * written by `serialize` (lengths and CRC computed there), and the result must pass `validate` with
 * no errors, so build never hands out a code that would fail at the till.
 */
import { amountFormatOf, formatAmount, type AmountFormat } from './amount.js';
import { callerThrew, describeValue, QrisError, quote } from '../errors.js';
import { encodeFee, type FeeOption } from './fee.js';
import { maxLengthAt } from './rules.js';
import { codePointLength } from '../codec/scan.js';
import { serialize, type TlvInput } from '../codec/serialize.js';
import { ADDITIONAL_DATA_ID, MAX_PAYLOAD_LENGTH, type AdditionalDataKey } from './spec.js';
import { firstLoneSurrogate } from '../codec/text.js';
import { validate } from './validate.js';

export interface BuildAccount {
  /** Template ID 26-50; by default the next free one from 26 in order. */
  readonly tag?: string | undefined;
  /** Reverse-domain GUID, e.g. `ID.CO.BCA.WWW` or `COM.GO-JEK.WWW`. */
  readonly guid: string;
  /** Merchant PAN (starts with the issuer's 8-digit NNS). */
  readonly pan?: string | undefined;
  readonly merchantId?: string | undefined;
  /** UMI, UKE, UME, UBE or URE. */
  readonly criteria?: string | undefined;
}

/** A QRIS transfer (digest "Code kinds"): root 40, 62/08 purpose, 62/99 unique data; 01 = `12`. */
export interface BuildTransfer {
  /** 40/00: the PJSP's reverse-domain GUID, e.g. `ID.CO.ASTRAPAY.WWW`. */
  readonly guid: string;
  /** 40/01: the customer PAN, 16-19 digits starting with the NNS. */
  readonly pan: string;
  /** 40/02: the beneficiary ID (at most 15 characters). */
  readonly beneficiaryId: string;
  /** 40/04: the receiving bank's BIC (8-11). */
  readonly bic?: string | undefined;
  /** 62/08: `BOOK` on-us, `DMCT` domestic, `XBCT` cross-border. @default "DMCT" */
  readonly purpose?: 'BOOK' | 'DMCT' | 'XBCT' | undefined;
  /** 62/99/01: the unique data (8-64 characters); 62/99/00 is `00`. */
  readonly uniqueData: string;
}

export interface BuildFields extends AmountFormat {
  readonly merchantName: string;
  readonly merchantCity: string;
  readonly postalCode?: string | undefined;
  /** ISO 3166-1 alpha-2. @default "ID" */
  readonly countryCode?: string | undefined;
  /** ISO 4217 numeric. @default "360" (IDR) */
  readonly currency?: string | undefined;
  /** ISO 18245 merchant category code, four digits. Required for payments; a transfer's is `4829`. @default "4829" with `transfer` */
  readonly mcc?: string | undefined;
  /** Merchant accounts (26-50): at least one for a payment; with `transfer` it may be `[]`. */
  readonly accounts: readonly BuildAccount[];
  /**
   * Makes a transfer code (pays a person): root 40, 62/08 and 62/99 from these; 01 is `12` with or
   * without `amount` (without, the sender types it). No `fee` (TRANSFER_FEE), no 51.
   */
  readonly transfer?: BuildTransfer | undefined;
  /**
   * National Merchant ID: written to 51/02 with 51/00 = `nationalGuid`. A static Indonesian code
   * (no `amount`, country ID) must carry 51 (QRIS 4.7.7): give `nmid` or `merchantCriteria`.
   */
  readonly nmid?: string | undefined;
  /** 51/03 merchant criteria. */
  readonly merchantCriteria?: string | undefined;
  /** @default "ID.CO.QRIS.WWW" */
  readonly nationalGuid?: string | undefined;
  /** An amount makes the code dynamic (01 = 12). */
  readonly amount?: number | string | undefined;
  readonly fee?: FeeOption | undefined;
  readonly additionalData?: { readonly [K in AdditionalDataKey]?: string | undefined } | undefined;
  readonly language?: { readonly preference: string; readonly merchantName: string; readonly merchantCity?: string | undefined } | undefined;
}

/**
 * Builds a valid payload from fields; throws `QrisError` (BAD_FIELD, BAD_AMOUNT, ...) naming the
 * field. Reading the fields object is guarded: one that throws (revoked Proxy, getter) is BAD_FIELD.
 */
export function build(fields: BuildFields): string {
  if (fields === null || typeof fields !== 'object') throw new QrisError('BAD_FIELD', 'build() takes an object of fields.');
  let payload: string;
  try {
    payload = serialize(buildTree(fields));
  } catch (e) {
    throw callerThrew('BAD_FIELD', 'the build() fields', e);
  }
  // 512 is a SHOULD for readers; a code this library hands out keeps it.
  const size = codePointLength(payload);
  if (size > MAX_PAYLOAD_LENGTH)
    throw new QrisError(
      'OUTPUT_TOO_LONG',
      `The payload would have ${size} characters; QRIS recommends at most ${MAX_PAYLOAD_LENGTH} and scanners may refuse more.`,
    );
  const firstError = validate(payload).issues.find((i) => i.severity === 'error');
  if (firstError) {
    throw new QrisError('BAD_FIELD', `The fields do not make a valid QRIS: ${firstError.message}`, firstError.tag === undefined ? {} : { tag: firstError.tag });
  }
  return payload;
}

/** The data objects for `fields`, every value checked on the way. */
function buildTree(fields: BuildFields): TlvInput[] {
  const transfer: unknown = fields.transfer;
  if (transfer !== undefined && (transfer === null || typeof transfer !== 'object'))
    throw new QrisError('BAD_FIELD', 'transfer must be { guid, pan, beneficiaryId, bic?, purpose?, uniqueData }.', { tag: '40' });
  const t = transfer as BuildTransfer | undefined;
  if (t !== undefined && fields.fee !== undefined)
    throw new QrisError('TRANSFER_FEE', 'A transfer code carries no tip or convenience fee (55-57); leave out fee.', { tag: '55' });
  const nodes: TlvInput[] = [
    { id: '00', value: '01' },
    { id: '01', value: fields.amount === undefined && t === undefined ? '11' : '12' },
  ];
  const accounts: unknown = fields.accounts; // checked as the caller's raw value
  if (!Array.isArray(accounts) || (accounts.length === 0 && t === undefined)) {
    throw new QrisError('BAD_FIELD', 'accounts must list at least one merchant account (GUID and PAN).', { tag: '26' });
  }
  let next = 26;
  const used = new Set<string>();
  for (const a of accounts as readonly BuildAccount[]) {
    // A null or non-object entry used to crash with a TypeError on `a.tag`; it is bad input.
    if (a === null || typeof a !== 'object') throw new QrisError('BAD_FIELD', 'Each account must be an object with a GUID.', { tag: String(next) });
    const tag = a.tag ?? String(next);
    if (typeof tag !== 'string' || !/^(2[6-9]|[34][0-9]|50)$/.test(tag) || used.has(tag)) {
      throw new QrisError(
        'BAD_FIELD',
        `Account tag ${describeValue(tag)} must be an unused ID from 26 to 50.`,
        typeof tag === 'string' && tag.length <= 5 ? { tag } : {},
      );
    }
    used.add(tag);
    next = Math.max(next, Number(tag) + 1);
    const children: TlvInput[] = [{ id: '00', value: text(a.guid, `${tag}/00`, 'account GUID') }];
    if (a.pan !== undefined) children.push({ id: '01', value: text(a.pan, `${tag}/01`, 'merchant PAN') });
    if (a.merchantId !== undefined) children.push({ id: '02', value: text(a.merchantId, `${tag}/02`, 'merchant ID') });
    if (a.criteria !== undefined) children.push({ id: '03', value: text(a.criteria, `${tag}/03`, 'merchant criteria') });
    nodes.push({ id: tag, children });
  }
  if (t !== undefined) {
    if (used.has('40')) throw new QrisError('BAD_FIELD', 'Account tag 40 is the transfer template; give the account another tag.', { tag: '40' });
    const children: TlvInput[] = [
      { id: '00', value: text(t.guid, '40/00', 'transfer GUID') },
      { id: '01', value: text(t.pan, '40/01', 'customer PAN') },
      { id: '02', value: text(t.beneficiaryId, '40/02', 'beneficiary ID') },
    ];
    if (t.bic !== undefined) children.push({ id: '04', value: text(t.bic, '40/04', 'BIC') });
    nodes.push({ id: '40', children });
  }
  nodes.sort((a, b) => Number(a.id) - Number(b.id));
  if (fields.nmid !== undefined || fields.merchantCriteria !== undefined) {
    const children: TlvInput[] = [{ id: '00', value: text(fields.nationalGuid ?? 'ID.CO.QRIS.WWW', '51/00', 'national GUID') }];
    if (fields.nmid !== undefined) children.push({ id: '02', value: text(fields.nmid, '51/02', 'NMID') });
    if (fields.merchantCriteria !== undefined) children.push({ id: '03', value: text(fields.merchantCriteria, '51/03', 'merchant criteria') });
    nodes.push({ id: '51', children });
  }
  nodes.push(
    { id: '52', value: text(fields.mcc ?? (t === undefined ? undefined : '4829'), '52', 'MCC') },
    { id: '53', value: text(fields.currency ?? '360', '53', 'currency') },
  );
  if (fields.amount !== undefined) nodes.push({ id: '54', value: formatAmount(fields.amount, amountFormatOf(fields)) });
  if (fields.fee !== undefined) nodes.push(...feeNodes(fields.fee, fields.decimals));
  nodes.push(
    { id: '58', value: text(fields.countryCode ?? 'ID', '58', 'country code') },
    { id: '59', value: text(fields.merchantName, '59', 'merchant name') },
    { id: '60', value: text(fields.merchantCity, '60', 'merchant city') },
  );
  if (fields.postalCode !== undefined) nodes.push({ id: '61', value: text(fields.postalCode, '61', 'postal code') });
  if (fields.additionalData !== undefined || t !== undefined) {
    const children: TlvInput[] = [];
    if (t !== undefined) {
      const purpose: unknown = t.purpose ?? 'DMCT';
      if (purpose !== 'BOOK' && purpose !== 'DMCT' && purpose !== 'XBCT')
        throw new QrisError('BAD_FIELD', `The transfer purpose (62/08) must be BOOK, DMCT or XBCT; got ${describeValue(purpose)}.`, { tag: '62/08' });
      children.push({ id: '08', value: purpose });
      children.push({
        id: '99',
        children: [
          { id: '00', value: '00' },
          { id: '01', value: text(t.uniqueData, '62/99/01', 'unique data') },
        ],
      });
    }
    for (const [key, value] of Object.entries(fields.additionalData ?? {})) {
      // Own keys only: a plain lookup found Object.prototype members for keys like "constructor",
      // which then failed later in serialize as BAD_ID instead of being refused here.
      const id = Object.prototype.hasOwnProperty.call(ADDITIONAL_DATA_ID, key) ? ADDITIONAL_DATA_ID[key as AdditionalDataKey] : undefined;
      if (id === undefined) throw new QrisError('BAD_FIELD', `Unknown additional data field ${quote(key)}.`, { tag: '62' });
      if (t !== undefined && id === '08') throw new QrisError('BAD_FIELD', 'A transfer sets 62/08 from transfer.purpose.', { tag: '62/08' });
      if (value !== undefined) children.push({ id, value: text(value, `62/${id}`, key) });
    }
    children.sort((a, b) => Number(a.id) - Number(b.id));
    if (children.length > 0) nodes.push({ id: '62', children });
  }
  if (fields.language !== undefined) {
    const l = fields.language;
    if (l === null || typeof l !== 'object') throw new QrisError('BAD_FIELD', 'language must be { preference, merchantName, merchantCity? }.', { tag: '64' });
    const children: TlvInput[] = [
      { id: '00', value: text(l.preference, '64/00', 'language preference') },
      { id: '01', value: text(l.merchantName, '64/01', 'alternate merchant name') },
    ];
    if (l.merchantCity !== undefined) children.push({ id: '02', value: text(l.merchantCity, '64/02', 'alternate merchant city') });
    nodes.push({ id: '64', children });
  }
  return nodes;
}

/** A non-empty, well-formed string within the rule table's length limit for `tag` (validate checks the rest). */
function text(v: unknown, tag: string, what: string): string {
  if (typeof v !== 'string' || v.length === 0)
    throw new QrisError('BAD_FIELD', `The ${what} (${tag}) must be a non-empty string${v === undefined ? '' : `; got ${describeValue(v)}`}.`, { tag });
  const bad = firstLoneSurrogate(v);
  if (bad >= 0) {
    throw new QrisError(
      'BAD_FIELD',
      `The ${what} (${tag}) holds an unpaired UTF-16 surrogate at index ${bad}: it has no UTF-8 form, so no QR code can carry it.`,
      { tag },
    );
  }
  const max = maxLengthAt(tag);
  if (max !== undefined && v.length > max && codePointLength(v) > max) {
    throw new QrisError('BAD_FIELD', `The ${what} (${tag}) ${describeValue(v)} has ${codePointLength(v)} characters; at most ${max}.`, { tag });
  }
  return v;
}

/** 55 and 56 / 57 from the fee encoder `toDynamic` uses too. */
function feeNodes(fee: FeeOption, decimals: AmountFormat['decimals']): TlvInput[] {
  const f = encodeFee(fee, decimals);
  const nodes: TlvInput[] = [{ id: '55', value: f.indicator }];
  if (f.valueId !== undefined && f.value !== undefined) nodes.push({ id: f.valueId, value: f.value });
  return nodes;
}
