/**
 * The merchant's printed static QRIS, checked once at set-up: validate() must find no error, the
 * code must be static, and it must convert. What the cashier confirms (name, city, NMID, acquirer,
 * masked account) is read off it with info(); its pin (SHA-256 of the payload) is what the store
 * keeps to notice a code that changed after the cashier confirmed it.
 */
import { info, isQrisError, toDynamic, validate, type QrisInfo, type QrisIssue } from '../index.js';
import { sha256Hex } from './fingerprint.js';

export interface Merchant {
  readonly payload: string;
  readonly merchantName: string;
  readonly merchantCity: string;
  readonly nmid: string;
  readonly acquirer: string;
  /** The account the money goes to, masked: "9360 0915 •••• 4810". */
  readonly account: string;
  /** SHA-256 (hex) of `payload`: the pin of what the cashier confirmed. */
  readonly pin: string;
}

export type SetupResult =
  { readonly ok: true; readonly merchant: Merchant; readonly warnings: readonly SetupIssue[] } | { readonly ok: false; readonly issues: readonly SetupIssue[] };

/** A library issue, or one of the page's own set-up codes (`NOT_STATIC`). */
export type SetupIssue = Omit<QrisIssue, 'code'> & { readonly code: QrisIssue['code'] | keyof typeof SETUP_CODES };

/** Codes this module reports beyond the library's. */
export const SETUP_CODES = {
  EMPTY_INPUT: 'Nothing was given.',
  NOT_STATIC: 'The code is a dynamic (one-payment) code, not the printed static one.',
  TRANSFER_CODE: 'The code is a QRIS Transfer to a person, not a shop payment code.',
  CASH_CODE: 'The code is a QRIS cash withdrawal or deposit code, not a shop payment code.',
} as const;

/**
 * The account numbers of a code, masked for the screen: the 8-digit NNS (who runs the account)
 * and the last 4 digits, so a code whose 26/01 was swapped looks different at a glance without
 * the whole number on a receipt. Several accounts are joined with ", ".
 */
export function maskedAccount(meta: Pick<QrisInfo, 'accounts'>, tail = 4): string {
  const shown: string[] = [];
  for (const a of meta.accounts) {
    const id = a.pan ?? a.merchantId;
    if (id === undefined || id === '') continue;
    const t = Math.min(tail, Math.max(4, id.length - 8));
    const masked = id.length <= 8 ? '•••• ' + id.slice(-4) : `${id.slice(0, 4)} ${id.slice(4, Math.min(8, id.length - t))} •••• ${id.slice(-t)}`;
    if (!shown.includes(masked)) shown.push(masked.replace(/ {2,}/g, ' '));
  }
  return shown.join(', ');
}

/**
 * Checks a payload as the merchant's static code. Surrounding whitespace (a pasted newline) is
 * dropped; nothing inside the payload is changed.
 */
export function checkStaticCode(text: string): SetupResult {
  const payload = text.trim();
  if (payload === '') return fail({ severity: 'error', code: 'EMPTY_INPUT', message: SETUP_CODES.EMPTY_INPUT });
  const result = validate(payload);
  // A shop takes payments: a transfer code pays a person's account, a cash code is for an agent.
  // Said first, whatever else is wrong with the code: it is the wrong kind of code to set up.
  if (result.kind === 'transfer') return fail({ severity: 'error', code: 'TRANSFER_CODE', message: SETUP_CODES.TRANSFER_CODE, tag: '62/08' });
  if (result.kind === 'cash-withdrawal' || result.kind === 'cash-deposit') {
    return fail({ severity: 'error', code: 'CASH_CODE', message: SETUP_CODES.CASH_CODE, tag: '62/08' });
  }
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
  return { ok: true, merchant: merchantOf(payload, meta), warnings: result.issues.filter((i) => i.severity === 'warning') };
}

/** The details a person reads off a code (static or dynamic), all from info(). */
export interface CodeCard {
  readonly merchantName: string;
  readonly merchantCity: string;
  readonly nmid: string;
  readonly acquirer: string;
  readonly account: string;
}

export function cardOf(meta: QrisInfo): CodeCard {
  return {
    merchantName: meta.merchantName ?? '',
    merchantCity: meta.merchantCity ?? '',
    nmid: meta.nmid ?? '',
    acquirer: meta.accounts.find((a) => a.acquirer !== null)?.acquirer ?? '',
    account: maskedAccount(meta),
  };
}

function merchantOf(payload: string, meta: QrisInfo): Merchant {
  return { payload, ...cardOf(meta), pin: sha256Hex(payload) };
}

/**
 * The codes of a photo that held more than one (IMAGE_MULTIPLE_CODES: a second sticker stuck over
 * or beside the shop's). `candidates` comes from the error object, so anything is possible: a
 * non-array gives [], an unreadable entry gives `null` in its place.
 */
export function candidateCards(candidates: unknown): (CodeCard | null)[] {
  if (!Array.isArray(candidates)) return [];
  const metas = candidates.slice(0, 8).map((c: unknown) => {
    if (typeof c !== 'string') return null;
    try {
      return info(c);
    } catch (e) {
      if (isQrisError(e)) return null;
      throw e;
    }
  });
  // A forged sticker may keep the last four digits: show more of them until the accounts differ.
  for (let tail = 4; ; tail++) {
    const cards = metas.map((m) => (m === null ? null : { ...cardOf(m), account: maskedAccount(m, tail) }));
    const accounts = cards.filter((c): c is CodeCard => c !== null).map((c) => c.account);
    const full = metas.filter((m): m is QrisInfo => m !== null).map((m) => maskedAccount(m, 99));
    if (new Set(accounts).size === new Set(full).size || tail >= 19) return cards;
  }
}

/**
 * The different payment codes among what a detector read in one picture (EMVCo text starts with
 * "000201"; the same sticker read twice counts once). Two or more means a second sticker.
 */
export function distinctPaymentCodes(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    const code = v.trim();
    if (code.startsWith('000201') && !out.includes(code)) out.push(code);
  }
  return out;
}

function fail(issue: SetupIssue): SetupResult {
  return { ok: false, issues: [issue] };
}
