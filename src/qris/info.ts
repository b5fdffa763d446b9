/**
 * info(): what an app or a person wants to know about a code, read off the parsed tree.
 * It describes what is there and never throws for semantic problems (that is `validate`'s job):
 * only a structurally broken payload throws, and an ambiguous one: a sub-ID repeated in a template
 * info reads (26-51, 62, 64) is refused with DUPLICATE_SUB_ID, because reporting either copy would
 * pick silently what a payer's app may read otherwise. A wrong CRC is reported in `crc.valid`.
 */
import { findAcquirer } from './acquirers.js';
import { isAmountText } from './amount.js';
import { kindOfNodes, PURPOSE_NAMES, type CodeKind } from './kinds.js';
import { nnsOf } from './nns.js';
import { overlayOf, schemeInfo, type SchemeInfo } from './overlays.js';
import { QrisError } from '../errors.js';
import type { CrcCheck } from '../codec/tlv.js';
import { toParsed, type ParsedQris, type TlvNode } from '../codec/tlv.js';
import { ADDITIONAL_DATA, CURRENCIES, QRIS_NATIONAL_GUIDS, type AdditionalDataKey } from './spec.js';

export interface Amount {
  /** Exactly as written in the payload, e.g. `"25000"` or `"39000.00"`. */
  readonly text: string;
  /** The same as a number (NaN if the text is not a valid amount; `validate` says why). */
  readonly value: number;
}

export type Tip = { readonly type: 'prompt' } | { readonly type: 'fixed'; readonly value: string } | { readonly type: 'percent'; readonly value: string };

export interface MerchantAccount {
  /** Template ID, `"26"` to `"51"`. */
  readonly tag: string;
  /** Sub-ID 00: reverse domain name or AID, as written. */
  readonly guid?: string;
  /** Acquirer or issuer name from the GUID, else from the PAN's NNS prefix; null when unknown. */
  readonly acquirer: string | null;
  /** Sub-ID 01: Merchant PAN. */
  readonly pan?: string;
  /** The 8-digit National Numbering System prefix of the PAN. */
  readonly nns?: string;
  /** Sub-ID 02: Merchant ID. */
  readonly merchantId?: string;
  /** Sub-ID 03: Merchant criteria (UMI, UKE, UME, UBE, URE...). */
  readonly criteria?: string;
}

/** QRIS national repository template (51): GUID, NMID and criteria. */
export interface NationalTemplate {
  readonly guid?: string;
  readonly nmid?: string;
  readonly criteria?: string;
}

export type AdditionalData = { readonly [K in AdditionalDataKey]?: string } & {
  /** Sub-objects 12-99 by sub-ID, as written (templates 50-99 as their raw TLV text). */
  readonly other?: Readonly<Record<string, string>>;
};

export interface LanguageTemplate {
  readonly preference?: string;
  readonly merchantName?: string;
  readonly merchantCity?: string;
}

/** The transfer template (40) and 62/08 / 62/99 of a transfer or cash code. */
export interface TransferDetails {
  /** 40/00. */
  readonly guid?: string;
  /** 40/01: the customer PAN (first 8 digits: the NNS). */
  readonly pan?: string;
  readonly nns?: string;
  /** The institution the NNS names (nns.ts), or null when unknown. */
  readonly institution: string | null;
  /** 40/02: the beneficiary ID (free text in practice). */
  readonly beneficiaryId?: string;
  /** 40/04: the receiving bank's BIC. */
  readonly bic?: string;
  /** 62/08: `BOOK`, `DMCT`, `XBCT`, `CWDL`, `CDPT`. */
  readonly purpose?: string;
  /** The purpose in words ("domestic transfer"). */
  readonly purposeName?: string;
  /** 62/99/01: the unique data. */
  readonly uniqueData?: string;
}

export interface QrisInfo {
  /**
   * What the code does: `payment` (pays a shop), `transfer` (pays a person: root 40 with 62/08
   * `BOOK` / `DMCT` / `XBCT`), `cash-withdrawal` (62/08 `CWDL`) or `cash-deposit` (`CDPT`).
   */
  readonly kind: CodeKind;
  /** The transfer details of a transfer or cash code (absent on payments). */
  readonly transfer?: TransferDetails;
  /** The national overlay scheme of a partner's code (PromptPay, VietQR, DuitNow, PayNow) and its fields. */
  readonly scheme?: SchemeInfo;
  /** 00, normally `"01"`. */
  readonly payloadFormat?: string;
  /** 01 as written: `"11"` static, `"12"` dynamic. */
  readonly pointOfInitiation?: string;
  readonly isDynamic: boolean;
  readonly merchantName?: string;
  readonly merchantCity?: string;
  readonly postalCode?: string;
  readonly countryCode?: string;
  /** 53: ISO 4217 numeric code and its alphabetic code when known (`360` / `IDR`). */
  readonly currency?: { readonly numeric: string; readonly code?: string };
  /** 52, as written (leading zeros kept). */
  readonly mcc?: string;
  readonly amount?: Amount;
  /** 55 as written, present whenever 55 is. */
  readonly tipIndicator?: string;
  /** 55 with its 56 / 57, when they are consistent. */
  readonly tip?: Tip;
  /** National Merchant ID (51/02). */
  readonly nmid?: string;
  /** Merchant criteria (51/03). */
  readonly merchantCriteria?: string;
  /** The QRIS national template (51) of an Indonesian code. */
  readonly national?: NationalTemplate;
  /** Merchant account templates (26-51, except an Indonesian 51, which is `national`). */
  readonly accounts: readonly MerchantAccount[];
  readonly additionalData?: AdditionalData;
  readonly language?: LanguageTemplate;
  readonly crc: CrcCheck;
}

/**
 * Summarises a payload (string) or a `parse` result. Throws `QrisError` for broken structure, and
 * `DUPLICATE_SUB_ID` (with its tag path and offset) when a template it reads (26-51, 62, 64)
 * repeats a sub-ID: it never picks one copy. `validate` reports the same code without throwing.
 */
export function info(input: string | ParsedQris): QrisInfo {
  const parsed = toParsed(input);
  const root = index(parsed.nodes);
  // Built in reading order: JSON output and console.log show the fields as a person reads them.
  const out = {} as Mutable<QrisInfo>;
  const v = (id: string): string | undefined => root.get(id)?.value;
  out.kind = kindOfNodes(parsed.nodes);

  set(out, 'payloadFormat', v('00'));
  set(out, 'pointOfInitiation', v('01'));
  out.isDynamic = v('01') === '12';
  set(out, 'merchantName', v('59'));
  set(out, 'merchantCity', v('60'));
  set(out, 'postalCode', v('61'));
  set(out, 'countryCode', v('58'));
  const currency = v('53');
  if (currency !== undefined) out.currency = CURRENCIES[currency] ? { numeric: currency, code: CURRENCIES[currency] } : { numeric: currency };
  set(out, 'mcc', v('52'));
  const amount = v('54');
  if (amount !== undefined) out.amount = { text: amount, value: isAmountText(amount) ? Number(amount) : NaN };

  const indicator = v('55');
  if (indicator !== undefined) {
    out.tipIndicator = indicator;
    const fixed = v('56');
    const percent = v('57');
    if (indicator === '01') out.tip = { type: 'prompt' };
    else if (indicator === '02' && fixed !== undefined) out.tip = { type: 'fixed', value: fixed };
    else if (indicator === '03' && percent !== undefined) out.tip = { type: 'percent', value: percent };
  }

  const indonesian = v('58') === 'ID';
  const accounts: MerchantAccount[] = [];
  for (const node of parsed.nodes) {
    const n = Number(node.id);
    if (n < 26 || n > 51) continue;
    const sub = index(node.children ?? [], node.id);
    const guid = sub.get('00')?.value;
    if (n === 51 && (indonesian || (guid !== undefined && QRIS_NATIONAL_GUIDS.includes(guid.toUpperCase())))) {
      const national: Mutable<NationalTemplate> = {};
      set(national, 'guid', guid);
      set(national, 'nmid', sub.get('02')?.value);
      set(national, 'criteria', sub.get('03')?.value);
      out.national = national;
      set(out, 'nmid', national.nmid);
      set(out, 'merchantCriteria', national.criteria);
      continue;
    }
    const pan = sub.get('01')?.value;
    const account: Mutable<MerchantAccount> = { tag: node.id, acquirer: findAcquirer(guid, pan)?.name ?? null };
    set(account, 'guid', guid);
    set(account, 'pan', pan);
    if (pan !== undefined && pan.length >= 8 && isDigits(pan.slice(0, 8))) account.nns = pan.slice(0, 8);
    set(account, 'merchantId', sub.get('02')?.value);
    set(account, 'criteria', sub.get('03')?.value);
    accounts.push(account);
  }
  out.accounts = accounts;
  out.crc = parsed.crc;
  if (out.kind !== 'payment') out.transfer = transferDetails(root);
  const overlay = indonesian ? undefined : overlayOf(parsed.nodes);
  if (overlay !== undefined) out.scheme = schemeInfo(parsed.nodes, overlay);

  const additional = root.get('62');
  if (additional?.children) {
    index(additional.children, '62'); // refuses a repeated sub-ID
    const data: Mutable<AdditionalData> & { other?: Record<string, string> } = {};
    for (const child of additional.children) {
      const known = ADDITIONAL_DATA[child.id];
      if (known) data[known.key] = child.value;
      else (data.other ??= {})[child.id] = child.value;
    }
    out.additionalData = data;
  }

  const language = root.get('64');
  if (language?.children) {
    const sub = index(language.children, '64');
    const lang: Mutable<LanguageTemplate> = {};
    set(lang, 'preference', sub.get('00')?.value);
    set(lang, 'merchantName', sub.get('01')?.value);
    set(lang, 'merchantCity', sub.get('02')?.value);
    out.language = lang;
  }
  return out;
}

function transferDetails(root: ReadonlyMap<string, TlvNode>): TransferDetails {
  const t = index(root.get('40')?.children ?? [], '40');
  const pan = t.get('01')?.value;
  const out: Mutable<TransferDetails> = { institution: nnsOf(pan)?.institution ?? null };
  set(out, 'guid', t.get('00')?.value);
  set(out, 'pan', pan);
  if (pan !== undefined && pan.length >= 8 && isDigits(pan.slice(0, 8))) out.nns = pan.slice(0, 8);
  set(out, 'beneficiaryId', t.get('02')?.value);
  set(out, 'bic', t.get('04')?.value);
  const extra = root.get('62')?.children ?? [];
  const purpose = extra.find((n) => n.id === '08')?.value;
  set(out, 'purpose', purpose);
  if (purpose !== undefined) set(out, 'purposeName', PURPOSE_NAMES[purpose]);
  const unique = extra.find((n) => n.id === '99')?.children?.find((n) => n.id === '01')?.value;
  set(out, 'uniqueData', unique);
  return out;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Sets an optional property only when there is a value (keeps objects free of `undefined` keys). */
function set<T, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/**
 * Nodes by ID: the root (parse refuses a repeated root ID), or the sub-objects of template `path`,
 * where a repeated sub-ID throws DUPLICATE_SUB_ID.
 */
function index(nodes: readonly TlvNode[], path?: string): Map<string, TlvNode> {
  const m = new Map<string, TlvNode>();
  for (const n of nodes) {
    if (!m.has(n.id)) m.set(n.id, n);
    else if (path !== undefined) {
      throw new QrisError('DUPLICATE_SUB_ID', `Sub-ID ${n.id} appears more than once in template ${path}; info() does not pick a copy.`, {
        offset: n.offset,
        tag: `${path}/${n.id}`,
      });
    }
  }
  return m;
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
