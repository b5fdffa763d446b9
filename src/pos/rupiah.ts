/**
 * Rupiah amounts as a cashier types and reads them: "25.000" on screen, "25000" in the payload.
 * Only thousands dots that group correctly are removed and a decimal comma becomes '.'; anything
 * else goes to the converter exactly as typed, so it is refused with its reason, never "fixed".
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

/** Digits with thousands dots, optionally a decimal comma: the shapes the field reads. */
const DOTTED = /^\d[\d.]*(,\d*)?$/;

/**
 * What the cashier typed -> the amount text handed to `toDynamic`. In this field a dot is always a
 * thousands separator (the Indonesian convention, shown live as the cashier types) and a comma is
 * the decimal mark. Surrounding spaces go. Any other text (a sign, a letter, a leading zero) is
 * passed through unchanged for the library to refuse with its reason.
 */
export function amountFromInput(typed: string): string {
  const s = typed.trim();
  if (DOTTED.test(s) && !hasLeadingZero(s)) return s.replace(/\./g, '').replace(',', '.');
  return s;
}

/**
 * Live formatting while typing: digits and dots are regrouped from their digits (so typing and
 * deleting digits keeps "2.500" readable); anything else, or a leading zero, is left as typed so
 * the refusal can name it.
 */
export function liveFormat(typed: string): string {
  if (!/^\d[\d.]*$/.test(typed) || hasLeadingZero(typed)) return typed;
  return groupDigits(typed.replace(/\./g, ''));
}

function hasLeadingZero(s: string): boolean {
  const digits = s.replace(/\./g, '');
  return digits.length > 1 && digits[0] === '0' && digits[1] !== ',';
}
