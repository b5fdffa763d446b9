/**
 * EMVCo amounts (54 and 56): digits with an optional '.' and decimals, no sign, no exponent, at most
 * 13 characters. Amounts are handled as decimal text end to end so no float rounding ever changes
 * what the payer is asked for; a number input is accepted only when its shortest decimal form is
 * already exact (0.1 + 0.2 is refused, not rounded).
 */
import { callerThrew, describeValue, QrisError, type QrisErrorCode, type QrisErrorDetails } from '../errors.js';
import { MAX_AMOUNT_LENGTH, MAX_PERCENT_LENGTH } from './rules.js';

export { MAX_AMOUNT_LENGTH };

export interface AmountFormat {
  /** 0: integer rupiah ("25000"); 2: two decimals ("25000.00"). @default 0 */
  readonly decimals?: 0 | 2 | undefined;
  /** Reject amounts above this value. */
  readonly maxAmount?: number | string | undefined;
}

/**
 * Checks an amount as written in a payload: digits with at most one '.', at least one digit before
 * it (`98.73`, `98`, `98.` are valid; `.5` is refused, the text being ambiguous). Zero passes here.
 */
export function isAmountText(s: string): boolean {
  return scanDecimal(s) !== null;
}

/** [integer digits, fraction digits] of an amount as written (`98.` gives ['98', '']), or null. */
export function decimalParts(s: string): [string, string] | null {
  return scanDecimal(s);
}

/** [integer digits, fraction digits] of a plain decimal, or null when it is not one. */
function scanDecimal(s: string): [string, string] | null {
  const n = s.length;
  if (n === 0) return null;
  let dot = -1;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 && dot < 0) dot = i;
    else if (c < 48 || c > 57) return null;
  }
  const int = dot < 0 ? s : s.slice(0, dot);
  const frac = dot < 0 ? '' : s.slice(dot + 1);
  // A trailing dot (`98.`) is valid EMVCo text; a leading one (`.5`) is not accepted.
  if (int.length === 0) return null;
  return [int, frac];
}

/** Compares two plain decimals without floats: -1, 0 or 1. */
export function compareDecimal(a: string, b: string): number {
  const [ai, af] = scanDecimal(a) ?? ['0', ''];
  const [bi, bf] = scanDecimal(b) ?? ['0', ''];
  const ai2 = stripLeadingZeros(ai);
  const bi2 = stripLeadingZeros(bi);
  if (ai2.length !== bi2.length) return ai2.length < bi2.length ? -1 : 1;
  if (ai2 !== bi2) return ai2 < bi2 ? -1 : 1;
  const w = Math.max(af.length, bf.length);
  const af2 = af.padEnd(w, '0');
  const bf2 = bf.padEnd(w, '0');
  return af2 === bf2 ? 0 : af2 < bf2 ? -1 : 1;
}

function stripLeadingZeros(s: string): string {
  let i = 0;
  while (i < s.length - 1 && s.charCodeAt(i) === 48) i++;
  return s.slice(i);
}

function isZero(int: string, frac: string): boolean {
  for (const ch of int + frac) if (ch !== '0') return false;
  return true;
}

/** The error details naming `tag`, when there is one (`qris serve` reports its `nominal` without). */
function at(tag: string | undefined): QrisErrorDetails {
  return tag === undefined ? {} : { tag };
}

/** The decimal text of a user-supplied amount, or a QrisError explaining what is wrong with it. */
function decimalText(input: unknown, what: string, code: QrisErrorCode, tag: string | undefined): string {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new QrisError(code, `The ${what} must be a finite number; got ${input}.`, at(tag));
    const s = String(input);
    if (s.includes('e') || s.includes('E'))
      throw new QrisError(code, `The ${what} ${s} cannot be written without an exponent; pass it as a decimal string.`, at(tag));
    if (input < 0) throw new QrisError(code, `The ${what} must be positive; got ${s}.`, at(tag));
    return s;
  }
  if (typeof input === 'string') return input;
  throw new QrisError(code, `The ${what} must be a number or a decimal string; got ${input === null ? 'null' : typeof input}.`, at(tag));
}

export interface FormatAmountOptions extends AmountFormat {
  /**
   * What the value is: the transaction amount (tag 54; errors are BAD_AMOUNT) or a fixed
   * convenience fee (tag 56; errors are BAD_FEE). Replaces the old positional what/code/tag.
   * @default "amount"
   */
  readonly field?: 'amount' | 'fixedFee' | undefined;
}

/**
 * Formats a positive amount for tag 54 (or, with `field: 'fixedFee'`, a fixed fee for 56). Throws
 * BAD_AMOUNT (BAD_FEE for a fee) for zero, negatives, NaN, Infinity, exponents, signs, separators,
 * leading zeros, more than two decimals, cents when integer output is asked for, more than 13
 * characters, or above `maxAmount`; BAD_OPTION for bad options.
 *
 * Migration from 0.1: `formatAmount(v, format, 'fixed fee', 'BAD_FEE', '56')` is now
 * `formatAmount(v, { ...format, field: 'fixedFee' })`. A call with more than two arguments is
 * refused with BAD_OPTION rather than silently reporting a fee's errors as the amount's.
 */
export function formatAmount(amount: unknown, options: FormatAmountOptions = {}): string {
  if (arguments.length > 2) {
    throw new QrisError(
      'BAD_OPTION',
      "formatAmount() takes (amount, options); the positional (what, code, tag) form is gone: pass { field: 'fixedFee' } for a fee.",
    );
  }
  if (options === null || typeof options !== 'object') throw new QrisError('BAD_OPTION', 'The amount format must be an object such as { decimals: 2 }.');
  let format: AmountFormat;
  let field: unknown;
  try {
    // One read of each option: a getter cannot answer differently later, and one that throws is BAD_OPTION.
    field = options.field;
    format = amountFormatOf(options);
  } catch (e) {
    throw callerThrew('BAD_OPTION', 'the formatAmount() options', e);
  }
  if (field === undefined || field === 'amount') return formatAmountAs(amount, format, 'amount', 'BAD_AMOUNT', '54');
  if (field === 'fixedFee') return formatAmountAs(amount, format, 'fixed fee', 'BAD_FEE', '56');
  throw new QrisError('BAD_OPTION', `field must be "amount" or "fixedFee"; got ${describeValue(field)}.`);
}

/**
 * Just the amount format (`decimals`, `maxAmount`) of a larger options object, e.g. toDynamic's or
 * build's, for `formatAmount`: its other keys must not be read as formatAmount options.
 */
export function amountFormatOf(options: AmountFormat): AmountFormat {
  const { decimals, maxAmount } = options;
  return decimals === undefined ? (maxAmount === undefined ? {} : { maxAmount }) : maxAmount === undefined ? { decimals } : { decimals, maxAmount };
}

/**
 * `formatAmount` for the core's own callers, which say what the value is: `what` names it in
 * messages, `code` is the error code and `tag` the data object reported.
 */
export function formatAmountAs(
  input: unknown,
  format: AmountFormat,
  what: string,
  code: QrisErrorCode,
  tag: string | undefined,
  centsHint = 'integer output was asked for (pass decimals: 2 to keep them).',
): string {
  if (format === null || typeof format !== 'object') throw new QrisError('BAD_OPTION', 'The amount format must be an object such as { decimals: 2 }.');
  // The common case, a whole number of rupiah with integer output, needs no decimal scanning.
  // Only for decimals 0 / absent: any other value must reach the BAD_OPTION check below (a
  // `decimals !== 2` test here let `{ decimals: 1 }` through for whole-number inputs).
  if (
    typeof input === 'number' &&
    Number.isSafeInteger(input) &&
    input > 0 &&
    input < 1e13 &&
    (format.decimals === undefined || format.decimals === 0) &&
    format.maxAmount === undefined
  ) {
    return String(input);
  }
  const s = decimalText(input, what, code, tag);
  const parts = scanDecimal(s);
  // `50.000` and `1.500.000` are how Indonesians write thousands: say so before any other refusal.
  const separatorHint = parts === null || parts[1].length > 2 ? indonesianNotation(s) : null;
  if (separatorHint !== null) throw new QrisError(code, `The ${what} ${describeValue(s)} ${separatorHint}`, at(tag));
  if (parts === null) {
    throw new QrisError(
      code,
      `The ${what} ${describeValue(s)} is not a plain decimal (digits with an optional '.' and up to two decimals; no sign, exponent, spaces or separators).`,
      at(tag),
    );
  }
  const [int, frac] = parts;
  // `98.` is valid in a payload (and read as such), but a caller's amount is written exactly: refused.
  if (frac.length === 0 && s.length > int.length)
    throw new QrisError(code, `The ${what} ${describeValue(s)} ends with a '.'; write it without (or with its decimals).`, at(tag));
  if (int.length > 1 && int.charCodeAt(0) === 48) throw new QrisError(code, `The ${what} ${describeValue(s)} has leading zeros.`, at(tag));
  if (frac.length > 2) throw new QrisError(code, `The ${what} ${describeValue(s)} has more than two decimals.`, at(tag));
  if (isZero(int, frac)) throw new QrisError(code, `The ${what} must be greater than zero; got ${describeValue(s)}.`, at(tag));
  const decimals = format.decimals ?? 0;
  if (decimals !== 0 && decimals !== 2) throw new QrisError('BAD_OPTION', `decimals must be 0 or 2; got ${describeValue(decimals)}.`);
  let out: string;
  if (decimals === 0) {
    if (!isZero('', frac)) throw new QrisError(code, `The ${what} ${describeValue(s)} has cents; ${centsHint}`, at(tag));
    out = int;
  } else {
    out = int + '.' + frac.padEnd(2, '0');
  }
  if (out.length > MAX_AMOUNT_LENGTH)
    throw new QrisError(code, `The ${what} ${describeValue(out)} is ${out.length} characters; EMVCo allows at most ${MAX_AMOUNT_LENGTH}.`, at(tag));
  if (format.maxAmount !== undefined) {
    const max = decimalText(format.maxAmount, 'maxAmount', 'BAD_OPTION', tag);
    if (scanDecimal(max) === null) throw new QrisError('BAD_OPTION', `maxAmount ${describeValue(max)} is not a plain decimal.`);
    if (compareDecimal(out, max) > 0) throw new QrisError(code, `The ${what} ${out} is above the maximum of ${describeValue(max)}.`, at(tag));
  }
  return out;
}

/**
 * The rest of a sentence for an amount written the Indonesian way, or null: thousands grouped with
 * '.' (`50.000`, `1.500.000`, also `25.000,50`) or a decimal comma (`25000,50`). The '.' is the
 * decimal point in EMVCo text, so `50.000` would be fifty with three decimals.
 */
export function indonesianNotation(s: string): string | null {
  const m = /^([1-9][0-9]{0,2}(?:\.[0-9]{3})+)(?:,([0-9]{1,2}))?$/.exec(s) ?? /^([1-9][0-9]*)(?:,([0-9]{1,2}))$/.exec(s);
  if (m === null) return null;
  const whole = m[1]!.replaceAll('.', '');
  const cents = m[2];
  if (cents === undefined) {
    return `has a '.' that is read as a decimal point, not as a thousands separator: for Rp ${m[1]} write ${whole} (digits only).`;
  }
  return `uses ',' as the decimal mark: amounts are written with no thousands separator and '.' before the cents, e.g. ${whole}.${cents.padEnd(2, '0')}.`;
}

/** Formats a convenience fee percentage for tag 57: 0.01 to 99.99, at most 5 characters (a trailing dot is refused). */
export function formatPercent(input: unknown): string {
  const s = decimalText(input, 'fee percentage', 'BAD_FEE', '57');
  const parts = scanDecimal(s);
  if (parts === null) throw new QrisError('BAD_FEE', `The fee percentage ${describeValue(s)} is not a plain decimal.`, { tag: '57' });
  const [int, frac] = parts;
  if (frac.length === 0 && s.length > int.length)
    throw new QrisError('BAD_FEE', `The fee percentage ${describeValue(s)} ends with a '.'; write it without.`, { tag: '57' });
  if (int.length > 1 && int.charCodeAt(0) === 48) throw new QrisError('BAD_FEE', `The fee percentage ${describeValue(s)} has leading zeros.`, { tag: '57' });
  // 57 holds 00.01 to 99.99 (EMVCo; QRIS 4.7.11.1).
  if (isZero(int, frac) || compareDecimal(s, '0.01') < 0 || compareDecimal(s, '99.99') > 0)
    throw new QrisError('BAD_FEE', `The fee percentage must be from 0.01 to 99.99; got ${describeValue(s)}.`, { tag: '57' });
  if (s.length > MAX_PERCENT_LENGTH)
    throw new QrisError('BAD_FEE', `The fee percentage ${describeValue(s)} is longer than the ${MAX_PERCENT_LENGTH} characters tag 57 allows.`, { tag: '57' });
  return s;
}
