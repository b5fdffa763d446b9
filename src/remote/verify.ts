/**
 * The server is never trusted: every payload it returns is parsed and checked offline before the
 * caller sees it. Checks: sound structure and a valid CRC; 01 = "12" (dynamic); 54 equal to the
 * requested nominal as a decimal number; and, when we sent a payload, every merchant field and the
 * fee fields unchanged. A failure is a `RemoteError` of kind `untrusted`; the payload is dropped.
 */
import { QrisError } from '../errors.js';
import { parse, type ParsedQris, type TlvNode } from '../tlv.js';
import { RemoteError } from './errors.js';

/** Longest amount EMVCo's ID 54 can hold. */
const MAX_AMOUNT_LENGTH = 13;

/**
 * Checks a nominal and returns it as a canonical decimal string (no leading zeros, no trailing
 * fractional zeros): `25000`, `"25000.00"` and `"025000"` all give `"25000"`.
 * Throws `QrisError('BAD_AMOUNT')` before any request is made.
 */
export function canonicalNominal(nominal: unknown): string {
  let text: string;
  if (typeof nominal === 'number') {
    if (!Number.isFinite(nominal) || nominal <= 0) throw new QrisError('BAD_AMOUNT', `The nominal must be a positive finite number; got ${nominal}.`);
    text = String(nominal);
    if (text.includes('e')) throw new QrisError('BAD_AMOUNT', `The nominal ${nominal} cannot be written as an EMVCo amount.`);
  } else if (typeof nominal === 'string') {
    text = nominal.trim();
  } else {
    throw new QrisError('BAD_AMOUNT', `The nominal must be a number or a decimal string; got ${nominal === null ? 'null' : typeof nominal}.`);
  }
  if (!isDecimal(text) || text.length > MAX_AMOUNT_LENGTH) {
    throw new QrisError('BAD_AMOUNT', `The nominal ${JSON.stringify(text)} is not a decimal of at most ${MAX_AMOUNT_LENGTH} characters.`);
  }
  const dot = text.indexOf('.');
  if (dot >= 0 && text.length - dot - 1 > 2) throw new QrisError('BAD_AMOUNT', `The nominal ${JSON.stringify(text)} has more than two decimals.`);
  const canon = canonicalDecimal(text);
  if (canon === '0') throw new QrisError('BAD_AMOUNT', 'The nominal must be greater than zero.');
  return canon;
}

/** Digits with at most one inner or trailing dot: `"12"`, `"12.5"`, `"12."`. */
function isDecimal(s: string): boolean {
  if (s.length === 0) return false;
  let dots = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (++dots > 1 || i === 0) return false;
    } else if (c >= 48 && c <= 57) digits++;
    else return false;
  }
  return digits > 0;
}

/** `"0025000.50"` -> `"25000.5"`; `"25000.00"` -> `"25000"`. Input must pass `isDecimal`. */
function canonicalDecimal(s: string): string {
  const dot = s.indexOf('.');
  let int = dot < 0 ? s : s.slice(0, dot);
  let frac = dot < 0 ? '' : s.slice(dot + 1);
  let a = 0;
  while (a < int.length - 1 && int.charCodeAt(a) === 48) a++;
  int = int.slice(a);
  let b = frac.length;
  while (b > 0 && frac.charCodeAt(b - 1) === 48) b--;
  frac = frac.slice(0, b);
  return frac === '' ? int : int + '.' + frac;
}

/** Root IDs that identify the merchant: a converter has no business changing them. */
function isMerchantTag(id: number): boolean {
  return (id >= 26 && id <= 53) || (id >= 58 && id <= 61) || id === 64;
}

/** Tip / convenience fee: a fee the caller did not ask for costs the payer money. */
function isFeeTag(id: number): boolean {
  return id >= 55 && id <= 57;
}

function valueOf(nodes: readonly TlvNode[], id: string): string | undefined {
  for (const n of nodes) if (n.id === id) return n.value;
  return undefined;
}

function untrusted(code: string, message: string, tag?: string, cause?: unknown): RemoteError {
  return new RemoteError('untrusted', `The payload returned by BAYAR GG failed the offline check: ${message}`, {
    code,
    ...(tag === undefined ? {} : { tag }),
    ...(cause === undefined ? {} : { cause }),
  });
}

export interface VerifyOptions {
  /** The nominal asked for, as returned by `canonicalNominal`. */
  readonly nominal: string;
  /** The payload we sent, parsed; absent when we sent an image. */
  readonly original?: ParsedQris;
}

/** Parses and checks a payload returned by the server; throws an `untrusted` RemoteError. */
export function verifyConverted(payload: unknown, options: VerifyOptions): ParsedQris {
  if (typeof payload !== 'string') throw untrusted('NOT_A_STRING', 'no payload string.');
  let parsed: ParsedQris;
  try {
    parsed = parse(payload);
  } catch (e) {
    if (e instanceof QrisError) throw untrusted(e.code, e.message, e.tag, e);
    throw e;
  }
  const nodes = parsed.nodes;
  const poi = valueOf(nodes, '01');
  if (poi !== '12') throw untrusted('NOT_DYNAMIC', `ID 01 is ${poi === undefined ? 'missing' : JSON.stringify(poi)}, not "12" (dynamic).`, '01');

  const amount = valueOf(nodes, '54');
  if (amount === undefined) throw untrusted('AMOUNT_MISMATCH', `ID 54 (amount) is missing; expected ${options.nominal}.`, '54');
  if (!isDecimal(amount) || canonicalDecimal(amount) !== options.nominal) {
    throw untrusted('AMOUNT_MISMATCH', `ID 54 (amount) is ${JSON.stringify(amount)}; expected ${options.nominal}.`, '54');
  }

  const original = options.original;
  if (original !== undefined) {
    // Compare both ways, so an added, removed or changed data object is caught alike.
    const ids = new Set<string>();
    for (const n of original.nodes) ids.add(n.id);
    for (const n of nodes) ids.add(n.id);
    for (const id of ids) {
      const num = Number(id);
      const merchant = isMerchantTag(num);
      if (!merchant && !isFeeTag(num)) continue;
      const before = valueOf(original.nodes, id);
      const after = valueOf(nodes, id);
      if (before !== after) {
        const what = before === undefined ? 'was added' : after === undefined ? 'was removed' : `changed from ${JSON.stringify(before)} to ${JSON.stringify(after)}`;
        throw untrusted(merchant ? 'MERCHANT_CHANGED' : 'FEE_CHANGED', `${merchant ? 'merchant' : 'fee'} field ${id} ${what}.`, id);
      }
    }
  }
  return parsed;
}
