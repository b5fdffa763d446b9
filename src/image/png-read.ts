/**
 * A PNG reader straight to grayscale, for the pure-JavaScript engine. jimp (pngjs) expands every
 * PNG to RGBA through per-pixel getters and a depth-scaling pass, and the strategy then turns that
 * back into gray: on a 1000 px PNG that was ~45% of a whole `decodeImage`. Here the rows are
 * inflated with node:zlib, unfiltered in place and mapped to luma (composited on white, the same
 * weights and rounding as `rgbaToGray`) in one pass.
 *
 * Non-interlaced PNGs of every colour type and bit depth are read. Anything else (Adam7
 * interlacing, a bad CRC, truncated or malformed data, a palette index out of range) gives `null`:
 * the caller hands those bytes to jimp, which decodes them or reports the error as before.
 */
import { crc32, inflateSync } from 'node:zlib';
import type { Gray } from './gray.js';

const IHDR = 0x49484452;
const PLTE = 0x504c5445;
const TRNS = 0x74524e53;
const IDAT = 0x49444154;
const IEND = 0x49454e44;
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Samples per pixel by colour type (0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Record<number, readonly number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/** The PNG as gray pixels, or `null` when jimp should decode it (see the file comment). */
export function readPngGray(bytes: Uint8Array): Gray | null {
  try {
    return read(bytes);
  } catch {
    return null;
  }
}

/** Luma of RGB composited on white over alpha `a`: exactly what `rgbaToGray` computes at f = 1. */
function luma(r: number, g: number, b: number, a: number): number {
  const y = (306 * r + 601 * g + 117 * b + 512) >> 10;
  return a === 255 ? y : ((y * a + 255 * (255 - a) + 127) / 255) | 0;
}

function read(b: Uint8Array): Gray | null {
  if (b.length < 8 + 25) return null;
  for (let i = 0; i < 8; i++) if (b[i] !== SIGNATURE[i]) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let width = 0;
  let height = 0;
  let depth = 0;
  let type = -1;
  let palette: Uint8Array | null = null;
  let trns: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  let ended = false;
  for (let p = 8; p + 12 <= b.length; ) {
    const len = dv.getUint32(p);
    const end = p + 8 + len;
    if (end + 4 > b.length) return null;
    if (crc32(b.subarray(p + 4, end)) !== dv.getUint32(end)) return null;
    const kind = dv.getUint32(p + 4);
    const data = b.subarray(p + 8, end);
    if (p === 8) {
      if (kind !== IHDR || len !== 13) return null;
      width = dv.getUint32(p + 8);
      height = dv.getUint32(p + 12);
      depth = data[8]!;
      type = data[9]!;
      // compression 0, filter method 0, no interlacing
      if (data[10] !== 0 || data[11] !== 0 || data[12] !== 0) return null;
      if (!DEPTHS[type]?.includes(depth) || width === 0 || height === 0) return null;
    } else if (kind === PLTE) palette = data;
    else if (kind === TRNS) trns = data;
    else if (kind === IDAT) idat.push(data);
    else if (kind === IEND) {
      ended = true;
      break;
    } else if ((b[p + 4]! & 0x20) === 0) return null; // an unknown critical chunk
    p = end + 4;
  }
  if (!ended || idat.length === 0 || (type === 3 && !palette)) return null;

  const bits = CHANNELS[type]! * depth;
  const stride = Math.ceil((width * bits) / 8);
  const bpp = Math.max(1, bits >> 3);
  const expected = height * (stride + 1);
  const z = idat.length === 1 ? idat[0]! : Buffer.concat(idat);
  const raw = inflateSync(z, { maxOutputLength: expected });
  if (raw.length !== expected) return null;

  const out = new Uint8Array(width * height);
  const lut = type === 0 && depth <= 8 ? grayLut(depth, trns) : type === 3 ? paletteLut(palette!, trns) : null;
  const entries = type === 3 ? Math.min(256, Math.floor(palette!.length / 3)) : 256;
  for (let y = 0, at = 0; y < height; y++, at += stride + 1) {
    if (!unfilter(raw, at, stride, bpp, y > 0)) return null;
    const row = at + 1;
    const o = y * width;
    if (lut) {
      if (!unpack(raw, row, width, depth, lut, entries, out, o)) return null;
    } else if (!pixels(raw, row, width, type, depth, trns, out, o)) return null;
  }
  return { data: out, width, height };
}

/** Reverses the row's filter in place; the row above is already unfiltered. */
function unfilter(d: Uint8Array, at: number, stride: number, bpp: number, hasUp: boolean): boolean {
  const f = d[at]!;
  const s = at + 1;
  const e = s + stride;
  const up = stride + 1; // distance to the same byte in the row above
  switch (f) {
    case 0:
      return true;
    case 1:
      for (let i = s + bpp; i < e; i++) d[i] = d[i]! + d[i - bpp]!;
      return true;
    case 2:
      if (hasUp) for (let i = s; i < e; i++) d[i] = d[i]! + d[i - up]!;
      return true;
    case 3:
      if (hasUp) {
        for (let i = s; i < s + bpp; i++) d[i] = d[i]! + (d[i - up]! >> 1);
        for (let i = s + bpp; i < e; i++) d[i] = d[i]! + ((d[i - bpp]! + d[i - up]!) >> 1);
      } else for (let i = s + bpp; i < e; i++) d[i] = d[i]! + (d[i - bpp]! >> 1);
      return true;
    case 4:
      if (!hasUp) {
        // Paeth with no row above is Sub.
        for (let i = s + bpp; i < e; i++) d[i] = d[i]! + d[i - bpp]!;
        return true;
      }
      for (let i = s; i < s + bpp; i++) d[i] = d[i]! + d[i - up]!;
      for (let i = s + bpp; i < e; i++) {
        const a = d[i - bpp]!;
        const b = d[i - up]!;
        const c = d[i - up - bpp]!;
        const p = a + b - c;
        const pa = p > a ? p - a : a - p;
        const pb = p > b ? p - b : b - p;
        const pc = p > c ? p - c : c - p;
        d[i] = d[i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
      return true;
    default:
      return false;
  }
}

/** Gray samples of 1-8 bits scaled to 0..255 as pngjs does; the tRNS colour key becomes white. */
function grayLut(depth: number, trns: Uint8Array | null): Uint8Array {
  const max = (1 << depth) - 1;
  const lut = new Uint8Array(256);
  for (let v = 0; v <= max; v++) lut[v] = Math.floor((v * 255) / max + 0.5);
  if (trns && trns.length >= 2) {
    const key = (trns[0]! << 8) | trns[1]!;
    if (key <= max) lut[key] = 255;
  }
  return lut;
}

function paletteLut(palette: Uint8Array, trns: Uint8Array | null): Uint8Array {
  const lut = new Uint8Array(256);
  const n = Math.min(256, Math.floor(palette.length / 3));
  for (let i = 0; i < n; i++) {
    const a = trns && i < trns.length ? trns[i]! : 255;
    lut[i] = luma(palette[3 * i]!, palette[3 * i + 1]!, palette[3 * i + 2]!, a);
  }
  return lut;
}

/** One row of 1-8 bit samples (gray or palette indices) through the lookup table. */
function unpack(d: Uint8Array, s: number, width: number, depth: number, lut: Uint8Array, entries: number, out: Uint8Array, o: number): boolean {
  if (depth === 8) {
    for (let x = 0; x < width; x++) {
      const v = d[s + x]!;
      if (v >= entries) return false;
      out[o + x] = lut[v]!;
    }
    return true;
  }
  const perByte = 8 / depth;
  const mask = (1 << depth) - 1;
  for (let x = 0; x < width; ) {
    const byte = d[s + x / perByte]!;
    for (let shift = 8 - depth; shift >= 0 && x < width; shift -= depth, x++) {
      const v = (byte >> shift) & mask;
      if (v >= entries) return false;
      out[o + x] = lut[v]!;
    }
  }
  return true;
}

/** One row of 8- or 16-bit gray / gray+alpha / RGB / RGBA (16-bit samples scaled as pngjs does). */
function pixels(d: Uint8Array, s: number, width: number, type: number, depth: number, trns: Uint8Array | null, out: Uint8Array, o: number): boolean {
  const ch = CHANNELS[type]!;
  const key = trns && (type === 0 ? trns.length >= 2 : type === 2 ? trns.length >= 6 : false) ? trns : null;
  if (depth === 8) {
    for (let x = 0, i = s; x < width; x++, i += ch) {
      if (type === 2) {
        const r = d[i]!;
        const g = d[i + 1]!;
        const bl = d[i + 2]!;
        out[o + x] = key && key[1] === r && key[3] === g && key[5] === bl && key[0] === 0 && key[2] === 0 && key[4] === 0 ? 255 : luma(r, g, bl, 255);
      } else if (type === 6) out[o + x] = luma(d[i]!, d[i + 1]!, d[i + 2]!, d[i + 3]!);
      else out[o + x] = luma(d[i]!, d[i]!, d[i]!, d[i + 1]!); // type 4
    }
    return true;
  }
  const k16 = (j: number): number => (key![j]! << 8) | key![j + 1]!;
  for (let x = 0, i = s; x < width; x++, i += 2 * ch) {
    const v0 = (d[i]! << 8) | d[i + 1]!;
    if (type === 0) {
      out[o + x] = key && v0 === k16(0) ? 255 : s16(v0);
    } else if (type === 4) {
      const g = s16(v0);
      out[o + x] = luma(g, g, g, s16((d[i + 2]! << 8) | d[i + 3]!));
    } else {
      const v1 = (d[i + 2]! << 8) | d[i + 3]!;
      const v2 = (d[i + 4]! << 8) | d[i + 5]!;
      if (type === 2) out[o + x] = key && v0 === k16(0) && v1 === k16(2) && v2 === k16(4) ? 255 : luma(s16(v0), s16(v1), s16(v2), 255);
      else out[o + x] = luma(s16(v0), s16(v1), s16(v2), s16((d[i + 6]! << 8) | d[i + 7]!));
    }
  }
  return true;
}

/** A 16-bit sample to 8 bits, rounded as pngjs scales it. */
const s16 = (v: number): number => Math.floor((v * 255) / 65535 + 0.5);
