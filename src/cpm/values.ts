/**
 * Reading CPM values: ASCII text, BCD digits, the cn PAN of 5A and Track 2 Equivalent Data (57,
 * Table 6.2). Pure functions over bytes; `null` when a value does not have its format.
 */
import { toHex } from './ber.js';

/** The value as ASCII text, or null when a byte is outside printable ASCII (20-7E). */
export function asciiText(v: Uint8Array): string | null {
  let s = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c < 0x20 || c > 0x7e) return null;
    s += String.fromCharCode(c);
  }
  return s;
}

/** n: every nibble a digit. */
export function isBcd(v: Uint8Array): boolean {
  for (let i = 0; i < v.length; i++) if (v[i]! >> 4 > 9 || (v[i]! & 15) > 9) return false;
  return true;
}

/** cn: digits, then F padding to the end. The digits, or null. */
export function cnDigits(v: Uint8Array): string | null {
  const h = toHex(v);
  let end = h.length;
  while (end > 0 && h.charCodeAt(end - 1) === 70 /* F */) end--;
  for (let i = 0; i < end; i++) {
    const c = h.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return end === 0 ? null : h.slice(0, end);
}

/** Track 2 Equivalent Data, decoded. */
export interface Track2 {
  /** The PAN (up to 19 digits). */
  readonly pan: string;
  /** Expiry as printed: `YYMM`. */
  readonly expiry: string;
  /** Three digits (ISO 7813). */
  readonly serviceCode: string;
  /** Discretionary digits (may be empty). */
  readonly discretionary: string;
}

/** 57 decoded per Table 6.2, or null when it is not PAN `D` YYMM SSS digits [F]. */
export function readTrack2(v: Uint8Array): Track2 | null {
  const h = toHex(v);
  const d = h.indexOf('D');
  if (d < 1 || d > 19) return null;
  let end = h.length;
  // One F pads an odd number of nibbles to whole bytes.
  if (h.charCodeAt(end - 1) === 70) end--;
  if (end - (d + 1) < 7) return null;
  for (let i = 0; i < end; i++) {
    if (i === d) continue;
    const c = h.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  const month = Number(h.slice(d + 3, d + 5));
  if (month < 1 || month > 12) return null;
  return { pan: h.slice(0, d), expiry: h.slice(d + 1, d + 5), serviceCode: h.slice(d + 5, d + 8), discretionary: h.slice(d + 8, end) };
}

/** 5F2D: 1-4 ISO 639-1 codes of two letters, or null. */
export function languageCodes(v: Uint8Array): string[] | null {
  const s = asciiText(v);
  if (s === null || s.length === 0 || s.length % 2 !== 0 || s.length > 8) return null;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i) & ~0x20;
    if (u < 65 || u > 90) return null;
  }
  const out: string[] = [];
  for (let i = 0; i < s.length; i += 2) out.push(s.slice(i, i + 2));
  return out;
}
