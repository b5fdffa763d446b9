/**
 * One sale: the merchant's static payload + what the cashier typed -> a dynamic payload, or the
 * library's refusal (code + message) to show as it is. Nothing here rounds, trims or clamps.
 */
import { info, isQrisError, toDynamic, type FeeOption, type ToDynamicOptions } from '../index.js';
import { amountFromInput } from './rupiah.js';

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

/** A generated code as kept in today's list. */
export interface Sale {
  /** ISO 8601 time of generation. */
  readonly time: string;
  /** The amount as written in tag 54. */
  readonly amount: string;
  readonly billNumber?: string;
  /** The fee as a short text: "Rp 1000", "2.5%" or "tip". */
  readonly fee?: string;
  readonly payload: string;
}

export type SaleResult =
  | { readonly ok: true; readonly sale: Sale }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly field: 'amount' | 'billNumber' | 'fee' };

/** The codes this module adds for a field left empty (the library's own codes otherwise). */
export const EMPTY_AMOUNT = 'EMPTY_AMOUNT';
export const EMPTY_FEE = 'EMPTY_FEE';
const GROUPING_MESSAGE = 'A dot separates thousands (25.000) and a comma decimals (12,50); this amount has a dot elsewhere.';

export function makeSale(staticPayload: string, input: SaleInput, now: Date): SaleResult {
  const typed = amountFromInput(input.amount);
  if (!typed.ok) return { ok: false, code: typed.code, message: GROUPING_MESSAGE, field: 'amount' };
  const amount = typed.text;
  if (amount === '') return { ok: false, code: EMPTY_AMOUNT, message: 'Enter an amount.', field: 'amount' };
  let fee: FeeOption | undefined;
  let feeText: string | undefined;
  if (input.feeKind === 'prompt') {
    fee = { type: 'prompt' };
    feeText = 'tip';
  } else if (input.feeKind === 'fixed' || input.feeKind === 'percent') {
    const fixed = input.feeKind === 'fixed' ? amountFromInput(input.feeValue) : null;
    if (fixed !== null && !fixed.ok) return { ok: false, code: fixed.code, message: GROUPING_MESSAGE, field: 'fee' };
    const value = fixed !== null ? fixed.text : input.feeValue.trim().replace(',', '.');
    if (value === '') return { ok: false, code: EMPTY_FEE, message: 'Enter the fee, or choose no fee.', field: 'fee' };
    fee = { type: input.feeKind, value };
    feeText = input.feeKind === 'fixed' ? `Rp ${value}` : `${value}%`;
  }
  const options: ToDynamicOptions = {
    amount,
    ...(input.billNumber !== '' ? { billNumber: input.billNumber } : {}),
    ...(fee !== undefined ? { fee } : {}),
  };
  let payload: string;
  try {
    payload = toDynamic(staticPayload, options);
  } catch (e) {
    if (!isQrisError(e)) throw e;
    const field = e.code === 'BAD_FEE' ? 'fee' : e.tag?.startsWith('62') ? 'billNumber' : 'amount';
    return { ok: false, code: e.code, message: e.message, field };
  }
  const written = info(payload).amount?.text ?? amount;
  return {
    ok: true,
    sale: {
      time: now.toISOString(),
      amount: written,
      ...(input.billNumber !== '' ? { billNumber: input.billNumber } : {}),
      ...(feeText !== undefined ? { fee: feeText } : {}),
      payload,
    },
  };
}
