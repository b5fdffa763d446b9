/**
 * One sale: the merchant's static payload + what the cashier typed -> a dynamic payload, or the
 * reason it is refused (a code with its own sentence in i18n.ts, and the field at fault). The
 * payer's total (amount + fee) must stay within the per-payment maximum. Nothing is rounded,
 * trimmed or clamped.
 */
import { isQrisError, toDynamic, type FeeOption, type ToDynamicOptions } from '../index.js';
import { payerTotal, toSen, type Fee } from './money.js';
import { parseAmount, type AmountRefusal } from './rupiah.js';

export type FeeKind = 'none' | 'fixed' | 'percent' | 'prompt';

export interface SaleInput {
  /** The amount field as typed ("25.000"). */
  readonly amount: string;
  /** Optional bill number (62/01); empty = none. */
  readonly billNumber: string;
  readonly feeKind: FeeKind;
  /** The fee field as typed (rupiah for fixed, percent for percent). */
  readonly feeValue: string;
}

/** The per-payment maximum Bank Indonesia sets for one QRIS payment (since 1 March 2022). */
export const QRIS_MAX_PAYMENT = '10000000';

/** Refusal codes of a sale; the field names where the cashier fixes it. */
export type SaleRefusal = AmountRefusal | 'OVER_MAX' | 'FEE_EMPTY' | 'FEE_AMOUNT' | 'FEE_PERCENT' | 'BILL_TOO_LONG' | 'BILL_CHARACTERS' | 'NOT_CONVERTIBLE';

export type SaleResult =
  { readonly ok: true; readonly payload: string } | { readonly ok: false; readonly code: SaleRefusal; readonly field: 'amount' | 'billNumber' | 'fee' };

/** The fee the cashier chose, as typed, or the refusal of its value. */
export function feeFromInput(kind: FeeKind, typed: string): { ok: true; fee: Fee | null } | { ok: false; code: SaleRefusal } {
  if (kind === 'none') return { ok: true, fee: null };
  if (kind === 'prompt') return { ok: true, fee: { kind: 'prompt' } };
  const s = typed.trim().replace(/%$/, '').trim();
  if (s === '') return { ok: false, code: 'FEE_EMPTY' };
  if (kind === 'fixed') {
    const a = parseAmount(s);
    return a.ok ? { ok: true, fee: { kind: 'fixed', value: a.text } } : { ok: false, code: 'FEE_AMOUNT' };
  }
  const m = /^(\d{1,2})(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m || (m[1] === '0' && /^0*$/.test(m[2] ?? ''))) return { ok: false, code: 'FEE_PERCENT' };
  return { ok: true, fee: { kind: 'percent', value: m[2] ? `${Number(m[1])}.${m[2]}` : String(Number(m[1])) } };
}

/** `maxPayment`: the largest total (amount + fee) one payment may have, as an amount text. */
export function makeSale(staticPayload: string, input: SaleInput, maxPayment: string): SaleResult {
  const typed = parseAmount(input.amount);
  if (!typed.ok) return { ok: false, code: typed.code, field: 'amount' };
  const fee = feeFromInput(input.feeKind, input.feeValue);
  if (!fee.ok) return { ok: false, code: fee.code, field: 'fee' };
  const total = payerTotal(typed.text, fee.fee) ?? typed.text;
  const max = toSen(maxPayment);
  if (max !== null && toSen(total)! > max) return { ok: false, code: 'OVER_MAX', field: 'amount' };
  const bill = input.billNumber.trim();
  if ([...bill].length > 25) return { ok: false, code: 'BILL_TOO_LONG', field: 'billNumber' };
  const option: FeeOption | undefined =
    fee.fee === null ? undefined : fee.fee.kind === 'prompt' ? { type: 'prompt' } : { type: fee.fee.kind, value: fee.fee.value };
  const options: ToDynamicOptions = { amount: typed.text, ...(bill !== '' ? { billNumber: bill } : {}), ...(option ? { fee: option } : {}) };
  try {
    return { ok: true, payload: toDynamic(staticPayload, options) };
  } catch (e) {
    if (!isQrisError(e)) throw e;
    if (e.code === 'BAD_FEE') return { ok: false, code: fee.fee?.kind === 'percent' ? 'FEE_PERCENT' : 'FEE_AMOUNT', field: 'fee' };
    if (e.tag?.startsWith('62')) return { ok: false, code: 'BILL_CHARACTERS', field: 'billNumber' };
    return { ok: false, code: e.code === 'BAD_AMOUNT' ? 'AMOUNT_TOO_LONG' : 'NOT_CONVERTIBLE', field: 'amount' };
  }
}
