/**
 * The merchant's printed static QRIS, checked once at set-up: validate() must find no error, the
 * code must be static, and it must convert. The details the cashier sees (name, city, NMID,
 * acquirer) are read off it with info().
 */
import { info, isQrisError, toDynamic, validate, type QrisIssue } from '../index.js';

export interface Merchant {
  readonly payload: string;
  readonly merchantName: string;
  readonly merchantCity: string;
  readonly nmid: string;
  readonly acquirer: string;
  /** ISO 8601 time of set-up. */
  readonly savedAt: string;
}

export type SetupResult =
  { readonly ok: true; readonly merchant: Merchant; readonly warnings: readonly SetupIssue[] } | { readonly ok: false; readonly issues: readonly SetupIssue[] };

/** A library issue, or one of the page's own set-up codes (`NOT_STATIC`). */
export type SetupIssue = Omit<QrisIssue, 'code'> & { readonly code: QrisIssue['code'] | 'NOT_STATIC' };

/** Codes this module reports beyond the library's. */
export const SETUP_CODES = {
  EMPTY_INPUT: 'Nothing was given.',
  NOT_STATIC: 'The code is a dynamic (one-payment) code, not the printed static one.',
} as const;

/**
 * Checks a payload as the merchant's static code. Surrounding whitespace (a pasted newline) is
 * dropped; nothing inside the payload is changed.
 */
export function checkStaticCode(text: string, now: Date): SetupResult {
  const payload = text.trim();
  if (payload === '') return fail({ severity: 'error', code: 'EMPTY_INPUT', message: SETUP_CODES.EMPTY_INPUT });
  const result = validate(payload);
  if (!result.valid) return { ok: false, issues: result.issues.filter((i) => i.severity === 'error') };
  const meta = info(payload);
  if (meta.isDynamic || meta.amount !== undefined) {
    return fail({ severity: 'error', code: 'NOT_STATIC', message: SETUP_CODES.NOT_STATIC, tag: meta.amount !== undefined ? '54' : '01' });
  }
  try {
    toDynamic(payload, { amount: 1 });
  } catch (e) {
    if (!isQrisError(e)) throw e;
    return fail({ severity: 'error', code: e.code, message: e.message, ...(e.tag !== undefined ? { tag: e.tag } : {}) });
  }
  const acquirer = meta.accounts.find((a) => a.acquirer !== null)?.acquirer ?? '';
  return {
    ok: true,
    merchant: {
      payload,
      merchantName: meta.merchantName ?? '',
      merchantCity: meta.merchantCity ?? '',
      nmid: meta.nmid ?? '',
      acquirer,
      savedAt: now.toISOString(),
    },
    warnings: result.issues.filter((i) => i.severity === 'warning'),
  };
}

function fail(issue: SetupIssue): SetupResult {
  return { ok: false, issues: [issue] };
}
