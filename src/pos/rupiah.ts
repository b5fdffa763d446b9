/**
 * Rupiah amounts as a cashier types and reads them: "Rp 25.000" on screen, "25000" in the payload.
 * Only thousands dots that group correctly are removed and a decimal comma becomes '.'; anything
 * else is refused with its own reason, never "fixed".
 */

/** "25000" -> "25.000" (Indonesian thousands separator). Digits only; other text is returned as is. */
export function groupDigits(digits: string): string {
  if (!/^\d+$/.test(digits)) return digits;
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += '.';
    out += digits[i];
  }
  return out;
}

/** A payload amount ("25000" or "25000.50") for people: "Rp 25.000" / "Rp 25.000,50". */
export function formatRupiah(amount: string): string {
  const dot = amount.indexOf('.');
  const int = dot < 0 ? amount : amount.slice(0, dot);
  const frac = dot < 0 ? '' : amount.slice(dot + 1);
  return 'Rp ' + groupDigits(int) + (frac === '' ? '' : ',' + frac);
}

/** Why a typed amount is refused; each has its own sentence in i18n.ts. */
export type AmountRefusal =
  | 'AMOUNT_EMPTY'
  | 'AMOUNT_GROUPING'
  | 'AMOUNT_COMMA_THOUSANDS'
  | 'AMOUNT_DECIMALS'
  | 'AMOUNT_NOT_NUMBER'
  | 'AMOUNT_NEGATIVE'
  | 'AMOUNT_ZERO'
  | 'AMOUNT_LEADING_ZERO'
  | 'AMOUNT_TOO_LONG';

export type AmountText = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly code: AmountRefusal };

/** Longest amount QRIS tag 54 holds (13 characters, decimal point included). */
const MAX_AMOUNT_CHARS = 13;

/**
 * What the cashier typed -> the amount text for `toDynamic` ("25000", "25000.5"). Read as a shop
 * writes money: an optional "Rp", a dot between groups of three for thousands, a comma for at most
 * two decimals. `Rp 25.000`, `25.000` and `25000` are all twenty-five thousand. Everything else is
 * refused with the reason it is wrong, never guessed at: "25,000" (a comma is decimals here), "25.5"
 * (a dot is thousands), "0500", letters, a minus sign.
 */
export function parseAmount(typed: string): AmountText {
  let s = typed.trim().replace(/\s+/g, ' ');
  const rp = /^rp\.?\s*/i.exec(s);
  if (rp) s = s.slice(rp[0].length);
  if (s === '') return refuse('AMOUNT_EMPTY');
  if (s.startsWith('-')) return refuse('AMOUNT_NEGATIVE');
  if (!/^[\d.,]+$/.test(s)) return refuse('AMOUNT_NOT_NUMBER');
  if (/^\d{1,3}(,\d{3})+$/.test(s)) return refuse('AMOUNT_COMMA_THOUSANDS');
  const m = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d*))?$/.exec(s);
  if (!m) return refuse(s.includes('.') ? 'AMOUNT_GROUPING' : s.split(',').length > 2 ? 'AMOUNT_NOT_NUMBER' : 'AMOUNT_DECIMALS');
  const int = m[1]!.replace(/\./g, '');
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > 2) return refuse('AMOUNT_DECIMALS');
  if (/^0+$/.test(int) && frac === '') return refuse('AMOUNT_ZERO');
  if (int.length > 1 && int.startsWith('0')) return refuse('AMOUNT_LEADING_ZERO');
  const text = frac === '' ? int : `${int}.${frac}`;
  if (text.length > MAX_AMOUNT_CHARS) return refuse('AMOUNT_TOO_LONG');
  return { ok: true, text };
}

function refuse(code: AmountRefusal): AmountText {
  return { ok: false, code };
}

/**
 * Live grouping while the cashier types digits: text of digits and dots is regrouped from its
 * digits ("25000" -> "25.000", and deleting a digit of "2.500" gives "250"). The page calls it only
 * while the dots in the field are its own (main.ts stops once the cashier types a dot or comma);
 * a leading zero or any other character leaves the text as typed so the refusal can name it.
 */
export function liveFormat(typed: string): string {
  if (!/^\d[\d.]*$/.test(typed)) return typed;
  const digits = typed.replace(/\./g, '');
  if (digits.length > 1 && digits[0] === '0') return typed;
  return groupDigits(digits);
}
