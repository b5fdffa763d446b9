/**
 * CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR) over UTF-8 bytes.
 *
 * Speed matters here: the CRC is the one piece of work every parse and every conversion must do.
 * - Strings are UTF-8 encoded into a reused buffer (`Utf8Buffer`), never a fresh array.
 * - Bytes go through slice-by-8 tables: eight independent lookups per step instead of a chain of
 *   eight dependent ones.
 * - Hex comes from a 256-entry table of two-character strings.
 * - `crcShift` advances a CRC state over N zero bytes in O(log N) lookups. CRC is linear, so a
 *   converter can reuse the states it computed over the input for every unchanged span of the output.
 */
import { describeValue, QrisError } from '../errors.js';
import { Utf8Buffer } from './utf8-buffer.js';

const POLY = 0x1021;
export const CRC_INIT = 0xffff;

/** T[k * 256 + x]: the CRC contribution of byte x followed by k zero bytes. */
const T = /* @__PURE__ */ buildTables();

function buildTables(): Uint16Array {
  const t = new Uint16Array(256 * 8);
  for (let x = 0; x < 256; x++) {
    let c = x << 8;
    for (let bit = 0; bit < 8; bit++) c = c & 0x8000 ? ((c << 1) ^ POLY) & 0xffff : (c << 1) & 0xffff;
    t[x] = c;
  }
  for (let k = 1; k < 8; k++) {
    for (let x = 0; x < 256; x++) {
      const prev = t[(k - 1) * 256 + x]!;
      t[k * 256 + x] = ((prev << 8) & 0xffff) ^ t[prev >>> 8]!;
    }
  }
  return t;
}

/** Continues CRC state `crc` over bytes[start, end). */
export function crcUpdate(crc: number, bytes: Uint8Array, start: number, end: number): number {
  const t = T;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    crc =
      t[1792 + ((crc >>> 8) ^ bytes[i]!)]! ^
      t[1536 + ((crc & 0xff) ^ bytes[i + 1]!)]! ^
      t[1280 + bytes[i + 2]!]! ^
      t[1024 + bytes[i + 3]!]! ^
      t[768 + bytes[i + 4]!]! ^
      t[512 + bytes[i + 5]!]! ^
      t[256 + bytes[i + 6]!]! ^
      t[bytes[i + 7]!]!;
  }
  for (; i < end; i++) crc = ((crc << 8) & 0xffff) ^ t[(crc >>> 8) ^ bytes[i]!]!;
  return crc;
}

/** The bytes `crc16` encodes a string into: private to it, filled and read within one call. */
const crcInput = /* @__PURE__ */ new Utf8Buffer();

// ---- Public API ------------------------------------------------------------------------------

/** CRC-16/CCITT-FALSE of a string (over its UTF-8 bytes) or of raw bytes. */
export function crc16(input: string | Uint8Array): number {
  if (typeof input === 'string') {
    const n = crcInput.encode(input);
    return crcUpdate(CRC_INIT, crcInput.bytes, 0, n);
  }
  // isView first: `instanceof` runs a Proxy's traps (and throws on a revoked one); isView reads no property.
  if (ArrayBuffer.isView(input) && input instanceof Uint8Array) return crcUpdate(CRC_INIT, input, 0, input.length);
  throw new QrisError('NOT_A_STRING', `crc16() takes a string or a Uint8Array; got ${describeValue(input)}.`);
}

/** The CRC as EMVCo writes it: four uppercase hex digits, zero padded. */
export function crc16Hex(input: string | Uint8Array): string {
  return formatCrc(crc16(input));
}

const HEX2: readonly string[] = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

/** Formats a 16-bit CRC value as four uppercase hex digits. */
export function formatCrc(crc: number): string {
  return HEX2[(crc >>> 8) & 0xff]! + HEX2[crc & 0xff]!;
}

/** Parses four hex digits (either case) into a number, or returns -1 if they are not hex. */
export function parseCrcHex(s: string, start: number): number {
  let v = 0;
  for (let i = start; i < start + 4; i++) {
    const d = HEX_VALUE[s.charCodeAt(i)];
    if (d === undefined || d < 0) return -1;
    v = (v << 4) | d;
  }
  return v;
}

const HEX_VALUE: Int8Array = /* @__PURE__ */ (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) t[48 + i] = i;
  for (let i = 0; i < 6; i++) t[65 + i] = t[97 + i] = 10 + i;
  return t;
})();

// ---- Zero-byte shift (for combining CRCs of unchanged spans) -------------------------------------

/**
 * SHIFT[(k * 16 + d) * 512 + ...]: advance over d * 16^k zero bytes, as a table for the high state
 * byte followed by one for the low byte. Four hex digits cover spans up to 64 KiB; d = 0 is the
 * identity, so `crcShift` runs a fixed, branch-free step per digit.
 */
let SHIFT: Uint16Array | undefined;
const SHIFT_DIGITS = 4;

function zeroByte(s: number): number {
  return ((s << 8) & 0xffff) ^ T[s >>> 8]!;
}

/** Applies a linear map given by the images of the 16 basis vectors. */
function applyBasis(images: readonly number[], v: number): number {
  let r = 0;
  for (let b = 0; b < 16; b++) if (v & (1 << b)) r ^= images[b]!;
  return r;
}

function buildShift(): Uint16Array {
  const out = new Uint16Array(SHIFT_DIGITS * 16 * 512);
  let step = Array.from({ length: 16 }, (_, b) => zeroByte(1 << b)); // advance 16^k bytes
  for (let k = 0; k < SHIFT_DIGITS; k++) {
    let cur = Array.from({ length: 16 }, (_, b) => 1 << b); // advance d * 16^k bytes, d = 0
    for (let d = 0; d < 16; d++) {
      const base = (k * 16 + d) * 512;
      for (let x = 0; x < 256; x++) {
        out[base + x] = applyBasis(cur, x << 8);
        out[base + 256 + x] = applyBasis(cur, x);
      }
      const images = cur;
      cur = images.map((v) => applyBasis(step, v));
    }
    step = cur; // after 16 steps: advance 16^(k+1) bytes
  }
  return out;
}

/** Advances CRC state `crc` over `n` zero bytes (0 <= n < 65536). */
export function crcShift(crc: number, n: number): number {
  const t = (SHIFT ??= buildShift());
  for (let base = 0; n !== 0; n >>>= 4, base += 8192) {
    const row = base + (n & 15) * 512;
    crc = t[row + (crc >>> 8)]! ^ t[row + 256 + (crc & 0xff)]!;
  }
  return crc;
}

/** Continues CRC state `crc` over an ASCII string's characters (its UTF-8 bytes are the same). */
export function crcUpdateAscii(crc: number, s: string): number {
  const t = T;
  for (let i = 0; i < s.length; i++) crc = ((crc << 8) & 0xffff) ^ t[(crc >>> 8) ^ s.charCodeAt(i)]!;
  return crc;
}

/** True when every character of `s` is ASCII (so characters and UTF-8 bytes coincide). */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
