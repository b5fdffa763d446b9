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

/** Thousands dots between groups of three, optionally a decimal comma: "25.000", "1.250.000,50". */
const GROUPED = /^\d{1,3}(\.\d{3})+(,\d*)?$/;

export type AmountText = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly code: 'AMOUNT_GROUPING' };

/**
 * What the cashier typed -> the amount text handed to `toDynamic`. In this field a dot is a
 * thousands separator (the Indonesian convention) and a comma the decimal mark: "25.000" and
 * "25.000,50" lose their dots, "12,5" becomes "12.5". Dots anywhere else ("25.5", "2.50") are
 * refused with AMOUNT_GROUPING rather than guessed at. Any other text (a sign, a letter, a leading
 * zero) is passed on as typed, trimmed of surrounding spaces, for the library to refuse with its
 * reason.
 */
export function amountFromInput(typed: string): AmountText {
  const s = typed.trim();
  if (GROUPED.test(s)) return { ok: true, text: s.replace(/\./g, '').replace(',', '.') };
  if (s.includes('.') && /^[\d.,]+$/.test(s)) return { ok: false, code: 'AMOUNT_GROUPING' };
  if (/^\d+,\d*$/.test(s)) return { ok: true, text: s.replace(',', '.') };
  return { ok: true, text: s };
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
