/**
 * Format and dimensions from the first bytes of an image, before any decoder runs: this is where the
 * pixel limit is enforced, so a 100000×100000 PNG of a few hundred bytes (a decompression bomb) is
 * refused without inflating anything. The header also gives the bytes per pixel of the decoded form
 * (16-bit samples and alpha included), so the decoded-bytes limit is enforced here too.
 */
import { describeValue, QrisError } from '../errors.js';

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp';

export interface ImageHeader {
  readonly format: ImageFormat;
  /** Width as stored (before any EXIF orientation). */
  readonly width: number;
  readonly height: number;
  /**
   * Bytes per pixel of the form a decoder holds in memory: PNG samples × 1 or 2 bytes (16-bit), a
   * palette expanded to RGBA, JPEG components, 4 (RGBA) for GIF, WebP and BMP.
   */
  readonly bytesPerPixel: number;
  /** PNG Adam7 interlacing (no decoder can stream it row by row). */
  readonly interlaced: boolean;
  /** EXIF orientation (1-8) of a JPEG, from its APP1 Exif segment; 1 when absent or unreadable. */
  readonly orientation: number;
  /**
   * Pixels of the largest frame a decoder may allocate: the logical size, or a GIF image
   * descriptor or WebP frame that declares more (a 16×16 GIF screen can hold an 8000×8000 frame).
   */
  readonly framePixels: number;
}

/** Bytes of the decoded form: the largest frame's pixels × bytes per pixel. */
export function decodedBytes(h: ImageHeader): number {
  return h.framePixels * h.bytesPerPixel;
}

/** Longest side over shortest side a picture may have: no photo of a QR code is a strip. */
export const MAX_ASPECT = 64;
/** Scans a JPEG may have: a progressive JPEG from a camera or an encoder has about 10, never 100. */
export const MAX_JPEG_SCANS = 100;

/**
 * Shapes no size cap catches, refused before any decoder runs: a strip (a 6 KB PNG of 7,000,000×7
 * pixels took sharp to 1.15 GB) and a JPEG that repeats its scans (each a decoder pass).
 */
export function checkShape(h: ImageHeader, bytes: Uint8Array): void {
  const long = Math.max(h.width, h.height);
  const short = Math.min(h.width, h.height);
  if (long > short * MAX_ASPECT) {
    throw new QrisError(
      'IMAGE_TOO_LARGE',
      `The image is ${h.width}×${h.height}, a strip no QR picture is; the limit is an aspect ratio of ${MAX_ASPECT}:1 (MAX_ASPECT).`,
      { actual: `${h.width}x${h.height}` },
    );
  }
  if (h.format === 'jpeg') {
    const scans = jpegScans(bytes, MAX_JPEG_SCANS);
    if (scans > MAX_JPEG_SCANS) {
      throw new QrisError(
        'IMAGE_TOO_LARGE',
        `The JPEG has more than ${MAX_JPEG_SCANS} scans, far more than any real photo; the limit is ${MAX_JPEG_SCANS} scans (MAX_JPEG_SCANS).`,
        { actual: `>${MAX_JPEG_SCANS} scans` },
      );
    }
  }
}

/**
 * Scans (SOS segments) in a JPEG: a progressive JPEG may repeat scans, each a full pass of the
 * decoder over the image, and libjpeg only warns about it (29,800 scans in 1.7 MB ran > 20 s).
 * Walks the segments and skips entropy-coded data (where 0xFF is always followed by 0x00 or RSTn),
 * so an embedded thumbnail's markers inside APP1 are never counted. Stops counting past `limit`.
 */
export function jpegScans(b: Uint8Array, limit: number): number {
  let scans = 0;
  let p = 2;
  while (p + 4 <= b.length && scans <= limit) {
    if (b[p] !== 0xff) return scans; // not a marker: the decoder reports it
    const m = b[p + 1]!;
    if (m === 0xff || m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      p += m === 0xff ? 1 : 2;
      continue;
    }
    if (m === 0xd9) return scans;
    p += 2 + u16be(b, p + 2);
    if (m !== 0xda) continue;
    scans++;
    // Entropy-coded data up to the next marker; indexOf is native, the data is most of the file.
    for (;;) {
      const at = b.indexOf(0xff, p);
      if (at < 0 || at + 1 >= b.length) return scans;
      const next = b[at + 1]!;
      if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) {
        p = at + (next === 0xff ? 1 : 2);
        continue;
      }
      p = at;
      break;
    }
  }
  return scans;
}

/** Reads the format and stored dimensions; throws IMAGE_UNSUPPORTED_FORMAT or IMAGE_CORRUPT. */
export function sniff(b: Uint8Array): ImageHeader {
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) {
    return png(b);
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpeg(b);
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38 && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) {
    need(b, 10, 'gif');
    return { ...dims('gif', u16le(b, 6), u16le(b, 8), 4), framePixels: Math.max(u16le(b, 6) * u16le(b, 8), gifLargestFrame(b)) };
  }
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return webp(b);
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return bmp(b);
  throw new QrisError('IMAGE_UNSUPPORTED_FORMAT', `Not a PNG, JPEG, GIF, WebP or BMP image (first bytes ${hex(b, 8)}).`);
}

function png(b: Uint8Array): ImageHeader {
  need(b, 24, 'png');
  if (ascii(b, 12, 4) !== 'IHDR') throw new QrisError('IMAGE_CORRUPT', 'PNG without an IHDR chunk first.');
  need(b, 29, 'png');
  const depth = b[24]!;
  const type = b[25]!;
  const bytes = depth === 16 ? 2 : 1;
  // gray, -, RGB, palette (expanded to RGBA), gray + alpha, -, RGBA
  const samples = ([1, 0, 3, 4, 2, 0, 4] as const)[type] ?? 0;
  if (samples === 0) throw new QrisError('IMAGE_CORRUPT', `PNG with an unknown colour type ${type}.`);
  return dims('png', u32be(b, 16), u32be(b, 20), type === 3 ? 4 : samples * bytes, b[28] === 1);
}

function jpeg(b: Uint8Array): ImageHeader {
  let p = 2;
  let orientation = 1;
  while (p + 4 <= b.length) {
    if (b[p] !== 0xff) throw new QrisError('IMAGE_CORRUPT', `JPEG marker expected at byte ${p}.`);
    const m = b[p + 1]!;
    if (m === 0xff) {
      p++; // fill byte
      continue;
    }
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      p += 2; // standalone markers
      continue;
    }
    if (m === 0xd9 || m === 0xda) break; // end of image or start of scan before any frame header
    const len = u16be(b, p + 2);
    if (len < 2) throw new QrisError('IMAGE_CORRUPT', `JPEG segment with length ${len} at byte ${p}.`);
    if (m === 0xe1 && orientation === 1) orientation = exifOrientation(b, p + 4, Math.min(b.length, p + 2 + len));
    // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC).
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      need(b, p + 10, 'jpeg');
      return { ...dims('jpeg', u16be(b, p + 7), u16be(b, p + 5), Math.max(1, b[p + 9]!)), orientation };
    }
    p += 2 + len;
  }
  throw new QrisError('IMAGE_CORRUPT', 'JPEG without a frame header (truncated or not a JPEG).');
}

/**
 * The Orientation tag (0x0112) of IFD0 in an APP1 segment's bytes [s, e) (TIFF 6.0 / Exif 2.3);
 * 1 when the segment is not Exif or the tag is absent or out of range.
 */
function exifOrientation(b: Uint8Array, s: number, e: number): number {
  if (e - s < 14 || ascii(b, s, 6) !== 'Exif\0\0') return 1;
  const t = s + 6; // TIFF header
  const le = b[t] === 0x49 && b[t + 1] === 0x49;
  if (!le && !(b[t] === 0x4d && b[t + 1] === 0x4d)) return 1;
  const r16 = (i: number): number => (le ? u16le(b, i) : u16be(b, i));
  const ifd = t + (le ? u32le(b, t + 4) : u32be(b, t + 4));
  if (ifd + 2 > e) return 1;
  const n = r16(ifd);
  for (let k = 0, at = ifd + 2; k < n && at + 12 <= e; k++, at += 12) {
    if (r16(at) === 0x0112) {
      const v = r16(at + 8);
      return v >= 1 && v <= 8 ? v : 1;
    }
  }
  return 1;
}

/**
 * Pixels of the largest image descriptor (0x2C) of a GIF, walking its blocks (GIF89a): extensions and
 * image data are skipped by their sub-block lengths, so the walk is linear in the file.
 */
function gifLargestFrame(b: Uint8Array): number {
  let largest = 0;
  const flags = b[10] ?? 0;
  let p = 13 + (flags & 0x80 ? 3 << ((flags & 7) + 1) : 0);
  const skipSubBlocks = (): void => {
    while (p < b.length) {
      const len = b[p++]!;
      if (len === 0) return;
      p += len;
    }
  };
  while (p < b.length) {
    const c = b[p]!;
    if (c === 0x21) {
      p += 2;
      skipSubBlocks();
    } else if (c === 0x2c) {
      if (p + 10 > b.length) break;
      largest = Math.max(largest, u16le(b, p + 5) * u16le(b, p + 7));
      const local = b[p + 9]!;
      p += 10 + (local & 0x80 ? 3 << ((local & 7) + 1) : 0) + 1; // + LZW minimum code size
      skipSubBlocks();
    } else break; // trailer (0x3B) or damage: the decoder decides
  }
  return largest;
}

/**
 * Pixels of the largest frame a WebP declares: each VP8/VP8L bitstream and each ANMF frame, at the
 * top level and inside ANMF (a VP8X canvas says nothing binding about its frames).
 */
function webpLargestFrame(b: Uint8Array, from: number, to: number): number {
  let largest = 0;
  for (let p = from; p + 8 <= to;) {
    const type = ascii(b, p, 4);
    const size = u32le(b, p + 4);
    const d = p + 8;
    if (type === 'VP8 ' && d + 10 <= to) largest = Math.max(largest, (u16le(b, d + 6) & 0x3fff) * (u16le(b, d + 8) & 0x3fff));
    else if (type === 'VP8L' && d + 5 <= to) {
      const bits = b[d + 1]! | (b[d + 2]! << 8) | (b[d + 3]! << 16) | (b[d + 4]! << 24);
      largest = Math.max(largest, ((bits & 0x3fff) + 1) * (((bits >>> 14) & 0x3fff) + 1));
    } else if (type === 'ANMF' && d + 16 <= to) {
      largest = Math.max(largest, (u24le(b, d + 6) + 1) * (u24le(b, d + 9) + 1), webpLargestFrame(b, d + 16, Math.min(to, d + size)));
    }
    p = d + size + (size & 1);
  }
  return largest;
}

function webp(b: Uint8Array): ImageHeader {
  const h = webpHeader(b);
  return { ...h, framePixels: Math.max(h.framePixels, webpLargestFrame(b, 12, b.length)) };
}

function webpHeader(b: Uint8Array): ImageHeader {
  need(b, 30, 'webp');
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ') {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) throw new QrisError('IMAGE_CORRUPT', 'WebP VP8 frame without its start code.');
    return dims('webp', u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff, 4);
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) throw new QrisError('IMAGE_CORRUPT', 'WebP VP8L stream without its signature.');
    const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
    return dims('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1, 4);
  }
  if (chunk === 'VP8X') return dims('webp', u24le(b, 24) + 1, u24le(b, 27) + 1, 4);
  throw new QrisError('IMAGE_CORRUPT', `WebP with an unknown first chunk ${describeValue(chunk)}.`);
}

function bmp(b: Uint8Array): ImageHeader {
  need(b, 26, 'bmp');
  const headerSize = u32le(b, 14);
  if (headerSize === 12) return dims('bmp', u16le(b, 18), u16le(b, 20), 4);
  if (headerSize < 40) throw new QrisError('IMAGE_UNSUPPORTED_FORMAT', 'Not a BMP image (unknown DIB header).');
  const h = b[22]! | (b[23]! << 8) | (b[24]! << 16) | (b[25]! << 24) | 0;
  return dims('bmp', u32le(b, 18) | 0, Math.abs(h), 4);
}

function dims(format: ImageFormat, width: number, height: number, bytesPerPixel: number, interlaced = false): ImageHeader {
  if (!(width > 0 && height > 0)) throw new QrisError('IMAGE_CORRUPT', `The ${format.toUpperCase()} header declares a ${width}×${height} image.`);
  return { format, width, height, bytesPerPixel, interlaced, orientation: 1, framePixels: width * height };
}

function need(b: Uint8Array, n: number, format: string): void {
  if (b.length < n) throw new QrisError('IMAGE_CORRUPT', `The ${format.toUpperCase()} header is truncated (${b.length} bytes).`);
}

const u16be = (b: Uint8Array, i: number): number => (b[i]! << 8) | b[i + 1]!;
const u16le = (b: Uint8Array, i: number): number => b[i]! | (b[i + 1]! << 8);
const u24le = (b: Uint8Array, i: number): number => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
const u32be = (b: Uint8Array, i: number): number => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
const u32le = (b: Uint8Array, i: number): number => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;

function ascii(b: Uint8Array, i: number, n: number): string {
  let s = '';
  for (let k = i; k < i + n && k < b.length; k++) s += String.fromCharCode(b[k]!);
  return s;
}

function hex(b: Uint8Array, n: number): string {
  let s = '';
  for (let k = 0; k < n && k < b.length; k++) s += (k ? ' ' : '') + b[k]!.toString(16).padStart(2, '0');
  return s || '(none)';
}
