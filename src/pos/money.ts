/**
 * Money as the page counts it: amount texts ("25000", "25000.50") to whole sen (bigint) and back,
 * the fee a code carries, and what the payer pays with it. A percentage fee is rounded to the sen,
 * half up, the way a payer's app shows it; a tip the payer types has no total until paid.
 */
import type { QrisInfo } from '../index.js';

export type Fee = { readonly kind: 'fixed'; readonly value: string } | { readonly kind: 'percent'; readonly value: string } | { readonly kind: 'prompt' };

/** "25000.5" -> 2500050n; null for anything that is not digits with at most two decimals. */
export function toSen(amount: string): bigint | null {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!m) return null;
  return BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
}

/** 2500050n -> "25000.50"; whole rupiah without decimals ("25000"). */
export function senText(sen: bigint): string {
  const whole = sen / 100n;
  const rest = sen % 100n;
  return rest === 0n ? whole.toString() : `${whole}.${rest.toString().padStart(2, '0')}`;
}

/** The fee of a code, from info(): 55 with 56 (fixed) or 57 (percent), or 55 = 01 (payer's tip). */
export function feeOf(meta: Pick<QrisInfo, 'tip'>): Fee | null {
  const tip = meta.tip;
  if (tip === undefined) return null;
  if (tip.type === 'prompt') return { kind: 'prompt' };
  return { kind: tip.type, value: tip.value };
}

/** The fee in sen on `amount`; null for a payer's tip or a value that is not a number. */
export function feeSen(amount: string, fee: Fee | null): bigint | null {
  if (fee === null) return 0n;
  if (fee.kind === 'prompt') return null;
  const base = toSen(amount);
  if (base === null) return null;
  if (fee.kind === 'fixed') return toSen(fee.value);
  // Percent with up to 2 decimals: base * p / 100, in hundredths of a percent, rounded half up.
  const p = toSen(fee.value);
  if (p === null) return null;
  return (base * p + 5000n) / 10000n;
}

/** What the payer pays, as an amount text; null when unknown (a payer's tip). */
export function payerTotal(amount: string, fee: Fee | null): string | null {
  const base = toSen(amount);
  const extra = feeSen(amount, fee);
  if (base === null || extra === null) return null;
  return senText(base + extra);
}
