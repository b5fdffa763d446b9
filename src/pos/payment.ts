/**
 * What a QR screen may show, read from the payload that is drawn and from nothing else. A stored
 * payload is re-verified first: it must be a valid dynamic QRIS and exactly what the current
 * merchant's code gives for its own amount, bill number and fee (toDynamic is deterministic), so
 * an edited record, another merchant's code or a URL is refused instead of drawn.
 */
import { info, isQrisError, toDynamic, validate, type FeeOption, type QrisInfo } from '../index.js';
import { cardOf, type CodeCard, type Merchant } from './merchant.js';
import { feeOf, payerTotal, type Fee } from './money.js';

export interface Payment extends CodeCard {
  readonly payload: string;
  /** Tag 54 as written ("25000" or "25000.50"). */
  readonly amount: string;
  readonly fee: Fee | null;
  /** What the payer pays, fee included, as an amount text; null when the payer types a tip. */
  readonly total: string | null;
  readonly billNumber: string;
}

/** Why a stored code is not drawn: broken or not a one-payment code, or another merchant's. */
export type PaymentRefusal =
  | { readonly ok: false; readonly reason: 'INVALID' }
  | { readonly ok: false; readonly reason: 'NOT_DYNAMIC' }
  | { readonly ok: false; readonly reason: 'OTHER_MERCHANT'; readonly payment: Payment };

export type PaymentCheck = { readonly ok: true; readonly payment: Payment } | PaymentRefusal;

/** Reads a dynamic payload for display, without deciding whose it is. Null when it is not one. */
export function readPayment(payload: string): Payment | null {
  let meta: QrisInfo;
  try {
    if (!validate(payload).valid) return null;
    meta = info(payload);
  } catch (e) {
    if (isQrisError(e)) return null;
    throw e;
  }
  if (!meta.isDynamic || meta.amount === undefined) return null;
  const fee = feeOf(meta);
  return {
    payload,
    ...cardOf(meta),
    amount: meta.amount.text,
    fee,
    total: payerTotal(meta.amount.text, fee),
    billNumber: meta.additionalData?.billNumber ?? '',
  };
}

/** A stored payload checked against the current merchant before it may be drawn for them. */
export function checkPayment(payload: string, merchant: Merchant): PaymentCheck {
  if (typeof payload !== 'string') return { ok: false, reason: 'INVALID' };
  const payment = readPayment(payload);
  if (payment === null) {
    try {
      return info(payload).isDynamic ? { ok: false, reason: 'INVALID' } : { ok: false, reason: 'NOT_DYNAMIC' };
    } catch {
      return { ok: false, reason: 'INVALID' };
    }
  }
  return isOf(payment, merchant) ? { ok: true, payment } : { ok: false, reason: 'OTHER_MERCHANT', payment };
}

/** True when the merchant's static code gives exactly this payload for its amount, bill and fee. */
function isOf(p: Payment, merchant: Merchant): boolean {
  const fee: FeeOption | undefined = p.fee === null ? undefined : p.fee.kind === 'prompt' ? { type: 'prompt' } : { type: p.fee.kind, value: p.fee.value };
  try {
    const again = toDynamic(merchant.payload, {
      amount: p.amount,
      ...(p.billNumber !== '' ? { billNumber: p.billNumber } : {}),
      ...(fee !== undefined ? { fee } : {}),
    });
    return again === p.payload;
  } catch (e) {
    if (isQrisError(e)) return false;
    throw e;
  }
}
