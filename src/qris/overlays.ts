/**
 * National overlays: the EMVCo MPM profiles of QRIS's cross-border partners (digest "National
 * overlays"). A QRIS wallet abroad scans the visited country's own code, so reading one needs only
 * EMVCo, and judging one needs its scheme's deviations. The overlay is chosen by 58 and by a
 * merchant account GUID (26-51/00) together; its rows live in the rule table like every other rule.
 */
import type { TlvNode } from '../codec/tlv.js';

export type OverlayProfile = 'duitnow' | 'promptpay' | 'vietqr' | 'paynow';

export const OVERLAY_PROFILES: readonly OverlayProfile[] = Object.freeze(['duitnow', 'promptpay', 'vietqr', 'paynow']);

/** The scheme's country (58) and the account GUIDs (upper-cased) that pick it. */
export const OVERLAYS: Readonly<Record<OverlayProfile, { readonly name: string; readonly country: string; readonly guids: readonly string[] }>> = Object.freeze(
  {
    duitnow: { name: 'DuitNow (Malaysia)', country: 'MY', guids: ['A0000006150001'] },
    promptpay: { name: 'PromptPay (Thailand)', country: 'TH', guids: ['A000000677010111', 'A000000677010112', 'A000000677012006'] },
    vietqr: { name: 'VietQR (Vietnam)', country: 'VN', guids: ['A000000727'] },
    paynow: { name: 'PayNow / SGQR (Singapore)', country: 'SG', guids: ['SG.PAYNOW', 'SG.SGQR'] },
  },
);

/** The overlay a root names by 58 and an account GUID, or undefined. */
export function overlayOf(nodes: readonly TlvNode[]): OverlayProfile | undefined {
  let country: string | undefined;
  for (const n of nodes) if (n.id === '58') country = n.value;
  if (country === undefined || country === 'ID') return undefined;
  for (const p of OVERLAY_PROFILES) {
    const o = OVERLAYS[p];
    if (o.country !== country) continue;
    for (const n of nodes) if (n.id >= '26' && n.id <= '51' && o.guids.includes(guidOf(n))) return p;
  }
  return undefined;
}

function guidOf(n: TlvNode): string {
  if (!n.children) return '';
  for (const c of n.children) if (c.id === '00') return c.value.toUpperCase();
  return '';
}

function sub(n: TlvNode | undefined, id: string): TlvNode | undefined {
  if (!n?.children) return undefined;
  for (const c of n.children) if (c.id === id) return c;
  return undefined;
}

function accountWith(nodes: readonly TlvNode[], guids: readonly string[]): TlvNode | undefined {
  for (const n of nodes) if (n.id >= '26' && n.id <= '51' && guids.includes(guidOf(n))) return n;
  return undefined;
}

export type PromptPayTarget = 'mobile' | 'national-id' | 'e-wallet' | 'bank-account' | 'bill-payment';

/** What `info().scheme` says about a code of a national overlay. */
export type SchemeInfo =
  | {
      readonly profile: 'promptpay';
      readonly name: string;
      /** 29/01 mobile, 29/02 national or tax ID, 29/03 e-wallet, 29/04 bank account; 30 bill payment. */
      readonly targetType?: PromptPayTarget;
      readonly target?: string;
      /** Bill payment (30): 01 biller ID, 02 reference 1, 03 reference 2. */
      readonly billerId?: string;
      readonly reference1?: string;
      readonly reference2?: string;
      /** 30/00 = `A000000677012006`. */
      readonly crossBorder?: boolean;
    }
  | {
      readonly profile: 'vietqr';
      readonly name: string;
      /** 38/01/00: the NAPAS bank BIN (6 digits). */
      readonly bankBin?: string;
      /** 38/01/01: the account or card number. */
      readonly account?: string;
      /** 38/02: `account` (`QRIBFTTA`), `card` (`QRIBFTTC`), else the value as written. */
      readonly service?: string;
    }
  | {
      readonly profile: 'paynow';
      readonly name: string;
      /** 01: `mobile` (`0`), `uen` (`2`), else the value as written. */
      readonly proxyType?: string;
      readonly proxy?: string;
      /** 03: `1` the payer may edit the amount. */
      readonly editable?: boolean;
      /** 04: `YYYYMMDD` or `YYYYMMDDHHMMSS`, as written. */
      readonly expiry?: string;
    }
  | { readonly profile: 'duitnow'; readonly name: string; readonly payloadVersion?: string };

/** The scheme fields of a code of overlay `p` (fields absent from the code are left out). */
export function schemeInfo(nodes: readonly TlvNode[], p: OverlayProfile): SchemeInfo {
  const name = OVERLAYS[p].name;
  const out: Record<string, unknown> = { profile: p, name };
  const put = (k: string, v: unknown) => {
    if (v !== undefined) out[k] = v;
  };
  if (p === 'promptpay') {
    const p2p = accountWith(nodes, ['A000000677010111']);
    const bill = accountWith(nodes, ['A000000677010112', 'A000000677012006']);
    if (p2p) {
      const types: readonly [string, PromptPayTarget][] = [
        ['01', 'mobile'],
        ['02', 'national-id'],
        ['03', 'e-wallet'],
        ['04', 'bank-account'],
      ];
      for (const [id, t] of types) {
        const v = sub(p2p, id)?.value;
        if (v !== undefined) {
          out.targetType = t;
          out.target = v;
          break;
        }
      }
    } else if (bill) {
      out.targetType = 'bill-payment';
      put('billerId', sub(bill, '01')?.value);
      put('reference1', sub(bill, '02')?.value);
      put('reference2', sub(bill, '03')?.value);
      out.crossBorder = guidOf(bill) === 'A000000677012006';
    }
  } else if (p === 'vietqr') {
    const a = accountWith(nodes, OVERLAYS.vietqr.guids);
    const beneficiary = sub(a, '01');
    const inner = beneficiary === undefined ? null : subObjects(beneficiary.value);
    put('bankBin', inner?.get('00'));
    put('account', inner?.get('01'));
    const s = sub(a, '02')?.value;
    if (s !== undefined) out.service = s === 'QRIBFTTA' ? 'account' : s === 'QRIBFTTC' ? 'card' : s;
  } else if (p === 'paynow') {
    const a = accountWith(nodes, ['SG.PAYNOW']);
    const t = sub(a, '01')?.value;
    if (t !== undefined) out.proxyType = t === '0' ? 'mobile' : t === '2' ? 'uen' : t;
    put('proxy', sub(a, '02')?.value);
    const e = sub(a, '03')?.value;
    if (e !== undefined) out.editable = e === '1';
    put('expiry', sub(a, '04')?.value);
  } else {
    for (const n of nodes) if (n.id === '00') out.payloadVersion = n.value;
  }
  return out as SchemeInfo;
}

/**
 * The data objects of a primitive value that a scheme nests (VietQR 38/01: 00 BIN, 01 account),
 * by ID; null when the value is not exactly ID + length + value objects. EMVCo fixes which IDs are
 * templates, so the codec keeps such a value as text and only the scheme layer reads inside it.
 */
export function subObjects(v: string): Map<string, string> | null {
  const m = new Map<string, string>();
  let i = 0;
  while (i < v.length) {
    if (i + 4 > v.length || !digits(v, i, 4)) return null;
    const len = (v.charCodeAt(i + 2) - 48) * 10 + (v.charCodeAt(i + 3) - 48);
    if (i + 4 + len > v.length) return null;
    const id = v.slice(i, i + 2);
    if (!m.has(id)) m.set(id, v.slice(i + 4, i + 4 + len));
    i += 4 + len;
  }
  return m;
}

function digits(v: string, at: number, n: number): boolean {
  for (let k = at; k < at + n; k++) {
    const c = v.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
