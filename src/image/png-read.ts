/**
 * A PNG reader straight to grayscale, for the pure-JavaScript engine. jimp (pngjs) expands every
 * PNG to RGBA through per-pixel getters and a depth-scaling pass, and the strategy then turns that
 * back into gray: on a 1000 px PNG that was ~45% of a whole `decodeImage`. Here the rows are
 * inflated with node:zlib, unfiltered in place and mapped to luma (composited on white, the same
 * weights and rounding as `rgbaToGray`) in one pass.
 *
 * Every colour type and bit depth is read, interlaced (Adam7) or not, so jimp (pngjs, which expands
 * to 16-bit-capable RGBA and held 1.6 GB for a blank 7000×7000 16-bit PNG) never sees a PNG. Only
 * the inflated rows (bounded by the caller's decoded-bytes limit) and the gray output are held.
 *
 * Damage is refused as sharp (libvips) refuses it, so the engines give the same answer: a bad CRC
 * on a chunk that shapes the pixels (IHDR, PLTE, tRNS, IDAT, an unknown critical one), a bad
 * header, too little or too much image data, an unknown filter: `IMAGE_CORRUPT`. A bad CRC on any
 * other ancillary chunk drops that chunk (libpng's default), and nothing after the image data is
 * read (IEND's CRC included). A
 * palette index out of range gives `null`: the caller hands those bytes to jimp.
 */
import { crc32, inflateSync } from 'node:zlib';
import { QrisError } from '../errors.js';
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

/** Adam7 passes: first column, first row, column step, row step (PNG spec, section 8.2). */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** Thrown inside the reader when the bytes are not a PNG it can trust. */
class Damaged extends Error {}

/**
 * The PNG as gray pixels; `null` when jimp should decode it (a palette index out of range).
 * Damaged data throws `IMAGE_CORRUPT` (see the file comment).
 */
export function readPngGray(bytes: Uint8Array): Gray | null {
  try {
    return read(bytes);
  } catch (cause) {
    const why = cause instanceof Damaged ? cause.message : 'its image data does not inflate';
    throw new QrisError('IMAGE_CORRUPT', `The PNG image could not be decoded: ${why}.`, { cause });
  }
}

function damaged(why: string): never {
  throw new Damaged(why);
}

/** Luma of RGB composited on white over alpha `a`: exactly what `rgbaToGray` computes at f = 1. */
function luma(r: number, g: number, b: number, a: number): number {
  const y = (306 * r + 601 * g + 117 * b + 512) >> 10;
  return a === 255 ? y : ((y * a + 255 * (255 - a) + 127) / 255) | 0;
}

function read(b: Uint8Array): Gray | null {
  if (b.length < 8 + 25) damaged('the header is truncated');
  for (let i = 0; i < 8; i++) if (b[i] !== SIGNATURE[i]) damaged('no PNG signature');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let width = 0;
  let height = 0;
  let depth = 0;
  let type = -1;
  let interlaced = false;
  let palette: Uint8Array | null = null;
  let trns: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  for (let p = 8; p + 12 <= b.length;) {
    const len = dv.getUint32(p);
    const end = p + 8 + len;
    if (end + 4 > b.length) break; // truncated: whatever image data came is checked below
    const kind = dv.getUint32(p + 4);
    if (kind === IEND) break;
    const critical = (b[p + 4]! & 0x20) === 0;
    const crcOk = crc32(b.subarray(p + 4, end)) === dv.getUint32(end);
    p = end + 4;
    if (!crcOk) {
      // tRNS changes pixels (sharp refuses it too); other ancillary chunks are dropped, as libpng does.
      if (critical || kind === TRNS) damaged(`a bad CRC on the ${chunkName(kind)} chunk`);
      continue;
    }
    const data = b.subarray(end - len, end);
    if (width === 0) {
      if (kind !== IHDR || len !== 13) damaged('no IHDR chunk first');
      width = dv.getUint32(end - len);
      height = dv.getUint32(end - len + 4);
      depth = data[8]!;
      type = data[9]!;
      if (data[10] !== 0 || data[11] !== 0 || data[12]! > 1) damaged('an unknown compression, filter or interlace method');
      if (!DEPTHS[type]?.includes(depth)) damaged(`bit depth ${depth} with colour type ${type}`);
      if (width === 0 || height === 0) damaged('a zero size');
      interlaced = data[12] === 1;
    } else if (kind === PLTE) palette = data;
    else if (kind === TRNS) trns = data;
    else if (kind === IDAT) idat.push(data);
    else if (critical) damaged(`an unknown critical chunk ${chunkName(kind)}`);
  }
  if (width === 0) damaged('no IHDR chunk');
  if (idat.length === 0) damaged('no image data');
  if (type === 3 && !palette) damaged('a palette image without a palette');

  const bits = CHANNELS[type]! * depth;
  const bpp = Math.max(1, bits >> 3);
  const passes = interlaced ? ADAM7 : ([[0, 0, 1, 1]] as const);
  let expected = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const pw = Math.ceil((width - x0) / dx);
    const ph = Math.ceil((height - y0) / dy);
    if (pw > 0 && ph > 0) expected += ph * (Math.ceil((pw * bits) / 8) + 1);
  }
  const z = idat.length === 1 ? idat[0]! : Buffer.concat(idat);
  // One byte more than needed: a stream that inflates past the image is refused, not truncated.
  const raw = inflateSync(z, { maxOutputLength: expected + 1 });
  if (raw.length !== expected) damaged(`${raw.length < expected ? 'too little' : 'too much'} image data`);

  const out = new Uint8Array(width * height);
  const lut = type === 0 && depth <= 8 ? grayLut(depth, trns) : type === 3 ? paletteLut(palette!, trns) : null;
  const entries = type === 3 ? Math.min(256, Math.floor(palette!.length / 3)) : 256;
  // An interlaced pass is read into a row of its own, then spread over the image.
  const row = interlaced ? new Uint8Array(width) : out;
  let at = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const pw = Math.ceil((width - x0) / dx);
    const ph = Math.ceil((height - y0) / dy);
    if (pw <= 0 || ph <= 0) continue;
    const stride = Math.ceil((pw * bits) / 8);
    for (let j = 0; j < ph; j++, at += stride + 1) {
      if (!unfilter(raw, at, stride, bpp, j > 0)) damaged(`an unknown filter type ${raw[at]}`);
      const o = interlaced ? 0 : j * width;
      if (lut) {
        if (!unpack(raw, at + 1, pw, depth, lut, entries, row, o)) return null;
      } else pixels(raw, at + 1, pw, type, depth, trns, row, o);
      if (interlaced) {
        const base = (y0 + j * dy) * width + x0;
        for (let i = 0; i < pw; i++) out[base + i * dx] = row[i]!;
      }
    }
  }
  return { data: out, width, height };
}

function chunkName(kind: number): string {
  let s = '';
  for (let k = 24; k >= 0; k -= 8) {
    const c = (kind >>> k) & 0xff;
    s += c >= 0x41 && c <= 0x7a ? String.fromCharCode(c) : '?';
  }
  return s;
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
  for (let x = 0; x < width;) {
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
function pixels(d: Uint8Array, s: number, width: number, type: number, depth: number, trns: Uint8Array | null, out: Uint8Array, o: number): void {
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
    return;
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
}

/** A 16-bit sample to 8 bits, rounded as pngjs scales it. */
const s16 = (v: number): number => Math.floor((v * 255) / 65535 + 0.5);
