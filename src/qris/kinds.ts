/**
 * The four kinds of QRIS MPM code (digest "Code kinds"; ast `QrisParser.detectQrisType`): root 40
 * with 62/08 `BOOK` / `DMCT` / `XBCT` is a transfer (it pays a person), 62/08 `CWDL` / `CDPT` a
 * QRIS Tuntas cash withdrawal / deposit, anything else a merchant payment. Detection reads 40 and
 * 62/08 only, nothing else (a property test holds it to that).
 */
import type { TlvNode } from '../codec/tlv.js';

export type CodeKind = 'payment' | 'transfer' | 'cash-withdrawal' | 'cash-deposit';

/** 62/08 purposes of a transfer (ASPI QRIS MPM Transfer Table 3.23 as ast quotes it). */
export const TRANSFER_PURPOSES: readonly string[] = Object.freeze(['BOOK', 'DMCT', 'XBCT']);

/** What each purpose code means, for people. */
export const PURPOSE_NAMES: Readonly<Record<string, string>> = Object.freeze({
  BOOK: 'on-us transfer (same PJSP)',
  DMCT: 'domestic transfer',
  XBCT: 'cross-border transfer',
  CWDL: 'cash withdrawal',
  CDPT: 'cash deposit',
  POSP: 'payment credit',
  BILL: 'billing',
});

/** The kind for "root 40 present" and the 62/08 value (undefined when absent). */
export function kindOf(has40: boolean, purpose: string | undefined): CodeKind {
  if (purpose === undefined || purpose.length !== 4) return 'payment';
  if (purpose === 'CWDL') return 'cash-withdrawal';
  if (purpose === 'CDPT') return 'cash-deposit';
  if (has40 && (purpose === 'BOOK' || purpose === 'DMCT' || purpose === 'XBCT')) return 'transfer';
  return 'payment';
}

/** The kind of a parsed root (62 kept raw has no 62/08: a payment). */
export function kindOfNodes(nodes: readonly TlvNode[]): CodeKind {
  let has40 = false;
  let purpose: string | undefined;
  for (const n of nodes) {
    if (n.id === '40') has40 = true;
    else if (n.id === '62' && n.children) {
      for (const c of n.children)
        if (c.id === '08') {
          purpose = c.value;
          break;
        }
    }
  }
  return kindOf(has40, purpose);
}

/** What a kind means, in words an app can show a payer. */
export const KIND_WORDS: Readonly<Record<CodeKind, string>> = Object.freeze({
  payment: 'a payment to a shop (merchant)',
  transfer: 'a transfer to a person, not a shop',
  'cash-withdrawal': 'a cash withdrawal (QRIS Tuntas)',
  'cash-deposit': 'a cash deposit (QRIS Tuntas)',
});
