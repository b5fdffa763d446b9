/**
 * The server is never trusted: every payload it returns is parsed and checked offline before the
 * caller sees it. Always: sound structure and a valid CRC (63), 01 = "12" once, 54 once and equal
 * to the requested nominal as a decimal, no ID twice in any template. When the original payload is
 * known, the answer must also equal the local conversion `toDynamic(original, ...)` object for
 * object, in order, at every level: only 01 and 54 may sit elsewhere, and 54 may be written with
 * other decimals. Anything added (an account in 02-25, a 62 field, a 65-99 template), removed,
 * changed, moved or repeated is refused, naming its tag path; what is returned is then the local
 * conversion itself, never the server's text. Without an original (`structure-only`), only the
 * checks above, 53 = 360 (the nominal is rupiah) and the caller's `expect` can be made; with an
 * `expect`, what it cannot vouch for and a payer's app may show or pay (64's alternate name and
 * city, 65-99 templates) is refused too. A failure is a `RemoteError` of kind `untrusted`; the
 * payload is dropped.
 */
import { compareDecimal, indonesianNotation, isAmountText } from '../qris/amount.js';
import { toDynamic, type AdditionalDataEdits, type FeeOption } from '../qris/convert.js';
import { QrisError, QUOTE_MAX, quote } from '../errors.js';
import { parse, type ParsedQris, type TlvNode } from '../codec/tlv.js';
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
  const dots = text.indexOf('.');
  const hint = !isDecimal(text) || (dots >= 0 && text.length - dots - 1 > 2) ? indonesianNotation(text) : null;
  if (hint !== null) throw new QrisError('BAD_AMOUNT', `The nominal ${quote(text)} ${hint}`);
  if (!isDecimal(text) || text.length > MAX_AMOUNT_LENGTH) {
    throw new QrisError('BAD_AMOUNT', `The nominal ${quote(text)} is not a decimal of at most ${MAX_AMOUNT_LENGTH} characters.`);
  }
  const dot = text.indexOf('.');
  if (dot >= 0 && text.length - dot - 1 > 2) throw new QrisError('BAD_AMOUNT', `The nominal ${quote(text)} has more than two decimals.`);
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

/**
 * What the caller knows about the merchant: checked against the answer whatever else is known.
 * When the server read an image (no original to compare with), an `expect` also refuses what it
 * does not vouch for: a 64/01 or 64/02 without `alternateName` / `alternateCity`, any other 64
 * sub-object, a 65-79 template, and an 80-99 template not in `unreserved`.
 */
export interface ExpectedMerchant {
  /** 59, exactly. */
  readonly merchantName?: string | undefined;
  /** The QRIS National Merchant ID, 51/02, exactly. */
  readonly nmid?: string | undefined;
  /**
   * The merchant's PAN(s). Every account the payer's app could pay must carry one of them: each
   * 02-25 value, each 01 of a 26-50 template, and 51/01 (the national merchant PAN) when 51 has
   * one; and at least one account must be there.
   */
  readonly pan?: string | readonly string[] | undefined;
  /** 64/01, the merchant name in the alternate language, exactly. */
  readonly alternateName?: string | undefined;
  /** 64/02, the merchant city in the alternate language, exactly. */
  readonly alternateCity?: string | undefined;
  /**
   * The 80-99 Unreserved Templates the merchant's code carries, by ID, each with its exact value
   * text (e.g. `{ '80': '0004TEST0105ABCDE' }`): each must be in the answer, as given.
   */
  readonly unreserved?: Readonly<Record<string, string>> | undefined;
}

/** What the request asked for besides the amount: fee and Additional Data fields, amount format. */
export interface RequestedChanges extends AdditionalDataEdits {
  /** A tip or convenience fee asked for; without one, 55/56/57 must be the original's. */
  readonly fee?: FeeOption | undefined;
  /** @default 0 (only matters for a fixed fee's format; 54 and 56 are compared as decimals) */
  readonly decimals?: 0 | 2 | undefined;
}

export interface VerifyOptions {
  /** The nominal asked for, as returned by `canonicalNominal`. */
  readonly nominal: string;
  /** The payload we sent (parsed or as text); absent when only the server read an image. */
  readonly original?: ParsedQris | string | undefined;
  /** Fee and 62 fields the request asked the server to set (none by default). */
  readonly requested?: RequestedChanges | undefined;
  /** Merchant facts to check, with or without an original. */
  readonly expect?: ExpectedMerchant | undefined;
  /**
   * Applied to every value of the answer before it is quoted in a message (the client passes its
   * API-key redactor), and refuses a structure-only answer that holds text it finds.
   */
  readonly redact?: (((text: string) => string) & { readonly finds?: ((text: string) => boolean) | undefined }) | undefined;
}

/** Codes of `untrusted` errors, by the root tag concerned. */
export type UntrustedCode =
  | 'NOT_A_STRING'
  | 'NOT_DYNAMIC'
  | 'AMOUNT_MISMATCH'
  | 'MERCHANT_CHANGED'
  | 'FEE_CHANGED'
  | 'ADDITIONAL_DATA_CHANGED'
  | 'PAYLOAD_CHANGED'
  | 'DUPLICATE_ID'
  | 'KEY_ECHOED';

/** The code naming what a difference at root tag `id` puts at risk. */
function codeOf(id: string): UntrustedCode {
  const n = Number(id);
  if ((n >= 2 && n <= 53) || (n >= 58 && n <= 61) || n === 64) return 'MERCHANT_CHANGED';
  if (n >= 55 && n <= 57) return 'FEE_CHANGED';
  if (n === 62) return 'ADDITIONAL_DATA_CHANGED';
  if (n === 1) return 'NOT_DYNAMIC';
  if (n === 54) return 'AMOUNT_MISMATCH';
  return 'PAYLOAD_CHANGED';
}

function untrusted(code: string, message: string, tag?: string): RemoteError {
  return new RemoteError('untrusted', `The payload returned by BAYAR GG failed the offline check: ${message}`, {
    code,
    ...(tag === undefined ? {} : { tag }),
  });
}

const identity = (s: string): string => s;

/**
 * The local conversion an answer must equal: `toDynamic(original, { amount, ...requested })`,
 * parsed. Throws the `QrisError` the local converter throws (before any request, in the client).
 */
export function localConversion(original: ParsedQris | string, nominal: string, requested: RequestedChanges = {}): ParsedQris {
  const payload = typeof original === 'string' ? original : original.payload;
  const decimals = requested.decimals ?? (nominal.includes('.') ? 2 : 0);
  return parse(toDynamic(payload, { ...requested, amount: nominal, decimals, replaceAmount: true }));
}

/**
 * Parses and checks a payload returned by the server; throws an `untrusted` RemoteError. With an
 * `original`, returns the local conversion the answer was proven equal to (the library's own text,
 * whatever way the server wrote its CRC or amount); without, the answer parsed.
 */
export function verifyConverted(payload: unknown, options: VerifyOptions): ParsedQris {
  if (typeof options !== 'object' || options === null) throw new QrisError('BAD_OPTION', 'verifyConverted() needs { nominal, original? }.');
  const nominal = canonicalNominal(options.nominal);
  const expect = checkExpect(options.expect);
  const expected = options.original === undefined ? undefined : localConversion(options.original, nominal, options.requested);
  return verifyAgainst(payload, { ...options, nominal, expected, ...(expect === undefined ? {} : { expect }) });
}

interface CheckOptions extends VerifyOptions {
  /** `localConversion(original, ...)`, computed once before the request. */
  readonly expected: ParsedQris | undefined;
}

/** `verifyConverted` with the local conversion already computed; returns what the caller may use. */
export function verifyAgainst(payload: unknown, options: CheckOptions): ParsedQris {
  const redact = options.redact ?? identity;
  /** A server value as a message may show it: redacted first, then quoted (40 characters at most). */
  const show = (v: string): string => quote(redact(v.length > QUOTE_MAX * 8 ? v.slice(0, QUOTE_MAX * 8) : v));
  if (typeof payload !== 'string') throw untrusted('NOT_A_STRING', 'no payload string.');
  let parsed: ParsedQris;
  try {
    parsed = parse(payload);
  } catch (e) {
    // The parse error quotes the answer: redact it, and keep no cause that would carry it.
    if (e instanceof QrisError) throw untrusted(e.code, redact(e.message), e.tag);
    throw e;
  }
  const nodes = parsed.nodes;
  checkOnce(
    nodes,
    '01',
    (v) => v === '12',
    (v) => `ID 01 is ${show(v)}, not "12" (dynamic).`,
  );
  checkOnce(
    nodes,
    '54',
    (v) => isAmountText(v) && compareDecimal(v, options.nominal) === 0,
    (v) => `ID 54 (amount) is ${show(v)}; expected ${options.nominal}.`,
  );

  const expected = options.expected;
  if (expected !== undefined) {
    const diff = compareLevel(expected.nodes, nodes, '', decimalTags(options.requested), show);
    if (diff !== undefined) throw untrusted(codeOf(diff.tag.slice(0, 2)), diff.message, diff.tag);
  } else {
    const dup = findDuplicate(nodes, '');
    if (dup !== undefined) throw untrusted('DUPLICATE_ID', `${dup} appears more than once.`, dup);
    // 54 was compared with a rupiah nominal: in another currency the same digits are another sum.
    checkOnce(
      nodes,
      '53',
      (v) => v === '360',
      (v) => `ID 53 (currency) is ${show(v)}; the nominal is in rupiah (360).`,
      'AMOUNT_MISMATCH',
    );
    if (options.redact?.finds?.(parsed.payload) === true) throw untrusted('KEY_ECHOED', 'it holds the API key.');
  }
  if (options.expect !== undefined) checkExpected(nodes, options.expect, show, expected === undefined);
  // Equal object for object is not equal text (a lowercase CRC, 54 as "0025000" or "25000."): the
  // caller gets the library's own conversion, never the server's spelling of it.
  return expected ?? parsed;
}

/** Root ID `id` must appear once with a value passing `ok`. */
function checkOnce(nodes: readonly TlvNode[], id: string, ok: (v: string) => boolean, bad: (v: string) => string, code: UntrustedCode = codeOf(id)): void {
  const found = nodes.filter((n) => n.id === id);
  if (found.length === 0) throw untrusted(code, `ID ${id} is missing.`, id);
  if (found.length > 1) throw untrusted(code, `ID ${id} appears ${found.length} times.`, id);
  if (!ok(found[0]!.value)) throw untrusted(code, bad(found[0]!.value), id);
}

/** Tags compared as decimals: 56 / 57 when the caller asked for that fee (their format may differ). */
function decimalTags(requested: RequestedChanges | undefined): ReadonlySet<string> {
  const t = requested?.fee?.type;
  return new Set(t === 'fixed' ? ['56'] : t === 'percent' ? ['57'] : []);
}

interface Difference {
  readonly tag: string;
  readonly message: string;
}

/** Root objects that may differ in position (01, 54) or are checked on their own (63). */
const ROOT_ASIDE: ReadonlySet<string> = new Set(['01', '54', '63']);

const count = (nodes: readonly TlvNode[], id: string): number => nodes.reduce((k, n) => k + (n.id === id ? 1 : 0), 0);

/** The first difference between the expected and the answered objects of one level, in order. */
function compareLevel(
  want: readonly TlvNode[],
  got: readonly TlvNode[],
  path: string,
  decimals: ReadonlySet<string>,
  show: (v: string) => string,
): Difference | undefined {
  const a = path === '' ? want.filter((n) => !ROOT_ASIDE.has(n.id)) : want;
  const b = path === '' ? got.filter((n) => !ROOT_ASIDE.has(n.id)) : got;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const w = a[i];
    const g = b[i];
    if (g !== undefined && (w === undefined || w.id !== g.id)) {
      const tag = path + g.id;
      const inWant = count(a, g.id);
      const inGot = count(b, g.id);
      if (inWant === 0) return { tag, message: `${tag} was added (${show(g.value)}).` };
      if (inGot > inWant) return { tag, message: `${tag} appears ${inGot} times; the local conversion has it ${inWant === 1 ? 'once' : `${inWant} times`}.` };
      if (w === undefined) return { tag, message: `${tag} is out of order.` };
      if (count(b, w.id) < count(a, w.id)) return { tag: path + w.id, message: `${path + w.id} was removed.` };
      return { tag, message: `${tag} is out of order (the local conversion has ${path + w.id} here).` };
    }
    if (g === undefined) return { tag: path + w!.id, message: `${path + w!.id} was removed.` };
    if (w!.value === g.value) continue;
    const tag = path + g.id;
    if (decimals.has(tag) && isAmountText(g.value) && compareDecimal(w!.value, g.value) === 0) continue;
    if (w!.children !== undefined && g.children !== undefined) {
      const inner = compareLevel(w!.children, g.children, tag + '/', decimals, show);
      if (inner !== undefined) return inner;
    }
    return { tag, message: `${tag} changed from ${show(w!.value)} to ${show(g.value)}.` };
  }
  return undefined;
}

/** The tag path of the first ID repeated within a template, at any depth. */
function findDuplicate(nodes: readonly TlvNode[], path: string): string | undefined {
  const seen = new Set<string>();
  for (const n of nodes) {
    if (seen.has(n.id)) return path + n.id;
    seen.add(n.id);
    if (n.children !== undefined) {
      const inner = findDuplicate(n.children, path + n.id + '/');
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

/** Checks an `expect` object's shape; throws `BAD_OPTION` before any request. */
export function checkExpect(expect: unknown): ExpectedMerchant | undefined {
  if (expect === undefined) return undefined;
  const bad = (what: string): QrisError =>
    new QrisError('BAD_OPTION', `expect.${what} must be a non-empty string${what === 'pan' ? ' or an array of them' : ''}.`);
  if (typeof expect !== 'object' || expect === null) throw new QrisError('BAD_OPTION', 'expect must be an object such as { merchantName, nmid, pan }.');
  const e = expect as Record<string, unknown>;
  for (const key of ['merchantName', 'nmid', 'alternateName', 'alternateCity'] as const) {
    if (e[key] !== undefined && (typeof e[key] !== 'string' || e[key] === '')) throw bad(key);
  }
  const pan = e['pan'];
  if (pan !== undefined) {
    const list = Array.isArray(pan) ? (pan as unknown[]) : [pan];
    if (list.length === 0 || list.some((p) => typeof p !== 'string' || p === '')) throw bad('pan');
  }
  const unreserved = e['unreserved'];
  if (unreserved !== undefined) {
    const ok =
      typeof unreserved === 'object' &&
      unreserved !== null &&
      !Array.isArray(unreserved) &&
      Object.entries(unreserved).every(([id, v]) => isUnreservedId(id) && typeof v === 'string' && v !== '');
    if (!ok) throw new QrisError('BAD_OPTION', "expect.unreserved must map IDs 80-99 to non-empty strings, e.g. { '80': '0004TEST' }.");
  }
  return expect;
}

const isUnreservedId = (id: string): boolean => /^[89][0-9]$/.test(id);

function checkExpected(nodes: readonly TlvNode[], expect: ExpectedMerchant, show: (v: string) => string, structureOnly: boolean): void {
  const root = (id: string): TlvNode | undefined => nodes.find((n) => n.id === id);
  if (expect.merchantName !== undefined) {
    const name = root('59')?.value;
    if (name !== expect.merchantName) {
      throw untrusted(
        'MERCHANT_CHANGED',
        `the merchant name (59) is ${name === undefined ? 'missing' : show(name)}; expected ${quote(expect.merchantName)}.`,
        '59',
      );
    }
  }
  if (expect.nmid !== undefined) {
    const nmid = root('51')?.children?.find((c) => c.id === '02')?.value;
    if (nmid !== expect.nmid)
      throw untrusted('MERCHANT_CHANGED', `the NMID (51/02) is ${nmid === undefined ? 'missing' : show(nmid)}; expected ${quote(expect.nmid)}.`, '51/02');
  }
  if (expect.pan !== undefined) checkAccounts(nodes, typeof expect.pan === 'string' ? [expect.pan] : expect.pan, show);
  checkLanguage(root('64'), expect, show, structureOnly);
  checkTemplates(nodes, expect.unreserved ?? {}, show, structureOnly);
}

/** Every account a payer's app could pay (02-25, 26-50/01, 51/01) carries one of `pans`; one at least. */
function checkAccounts(nodes: readonly TlvNode[], pans: readonly string[], show: (v: string) => string): void {
  let accounts = 0;
  for (const n of nodes) {
    const id = Number(n.id);
    let pan: string | undefined;
    let tag = n.id;
    if (id >= 2 && id <= 25) pan = n.value;
    else if (id >= 26 && id <= 51) {
      // A template not read as TLV may still be one a payer's app can pay: refused.
      if (n.children === undefined)
        throw untrusted('MERCHANT_CHANGED', `the account ${n.id} holds no readable data objects; expected one of the given PANs.`, n.id);
      pan = n.children.find((c) => c.id === '01')?.value;
      tag = n.id + '/01';
      if (pan === undefined) {
        // 51 (the national repository) names the merchant by its NMID; its 01 PAN is optional.
        if (id === 51) continue;
        throw untrusted('MERCHANT_CHANGED', `the account ${n.id} holds no readable PAN (01); expected one of the given PANs.`, n.id);
      }
    } else continue;
    accounts++;
    if (!pans.includes(pan)) throw untrusted('MERCHANT_CHANGED', `the account ${tag} is ${show(pan)}, not an expected PAN.`, tag);
  }
  if (accounts === 0) throw untrusted('MERCHANT_CHANGED', 'no merchant account (02-51) holds the expected PAN.', '26');
}

/** 64/01 and 64/02 as expected; in a structure-only answer, nothing in 64 that `expect` does not vouch for. */
function checkLanguage(lang: TlvNode | undefined, expect: ExpectedMerchant, show: (v: string) => string, structureOnly: boolean): void {
  const fields = [
    ['01', 'alternate merchant name', 'alternateName', expect.alternateName],
    ['02', 'alternate merchant city', 'alternateCity', expect.alternateCity],
  ] as const;
  for (const [sub, what, key, want] of fields) {
    const got = lang?.children?.find((c) => c.id === sub)?.value;
    if (want !== undefined && got !== want) {
      throw untrusted('MERCHANT_CHANGED', `the ${what} (64/${sub}) is ${got === undefined ? 'missing' : show(got)}; expected ${quote(want)}.`, '64/' + sub);
    }
    // A payer's app set to that language shows this name instead of 59: unvouched, it is refused.
    if (structureOnly && want === undefined && got !== undefined) {
      throw untrusted('MERCHANT_CHANGED', `the ${what} (64/${sub}) is ${show(got)}, which expect.${key} does not vouch for.`, '64/' + sub);
    }
  }
  if (!structureOnly || lang === undefined) return;
  if (lang.children === undefined) throw untrusted('MERCHANT_CHANGED', `64 holds no readable data objects (${show(lang.value)}).`, '64');
  const other = lang.children.find((c) => c.id !== '00' && c.id !== '01' && c.id !== '02');
  if (other !== undefined) throw untrusted('MERCHANT_CHANGED', `64/${other.id} (${show(other.value)}) is not a field expect can vouch for.`, '64/' + other.id);
}

/**
 * The 80-99 templates in `unreserved` are in the answer, as given. In a structure-only answer, no
 * other 65-99 template: the server could route a payer's app through one nobody can compare.
 */
function checkTemplates(nodes: readonly TlvNode[], unreserved: Readonly<Record<string, string>>, show: (v: string) => string, structureOnly: boolean): void {
  for (const [id, want] of Object.entries(unreserved)) {
    const got = nodes.find((n) => n.id === id)?.value;
    if (got !== want) throw untrusted('PAYLOAD_CHANGED', `the template ${id} is ${got === undefined ? 'missing' : show(got)}; expected ${quote(want)}.`, id);
  }
  if (!structureOnly) return;
  for (const n of nodes) {
    const id = Number(n.id);
    if (id >= 65 && id <= 79)
      throw untrusted('PAYLOAD_CHANGED', `${n.id} is a template reserved for future use (${show(n.value)}); nothing can vouch for it.`, n.id);
    if (id >= 80 && !Object.hasOwn(unreserved, n.id)) {
      throw untrusted('PAYLOAD_CHANGED', `the template ${n.id} (${show(n.value)}) is not one expect.unreserved vouches for.`, n.id);
    }
  }
}
